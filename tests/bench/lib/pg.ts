// PostgreSQL for the bench: a durable throwaway cluster (fsync and synchronous_commit on: every event durable, as the
// issue's goal demands) with one database, or null when PostgreSQL is not installed.
import postgres from 'postgres';
import { pgBinDir, startPgCluster } from '../../setup/pg-cluster';

export type BenchPg = { url: string; sql: postgres.Sql; stop(): Promise<void> };

export async function startBenchPg(): Promise<BenchPg | null> {
  const bin = pgBinDir();
  if (!bin) return null;
  const cluster = await startPgCluster(bin, { durable: true });
  const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} });
  await admin`CREATE DATABASE chative TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`;
  await admin.end();
  const url = cluster.adminUrl.replace(/\/postgres$/, '/chative');
  const sql = postgres(url, { max: 2, onnotice: () => {}, types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } } });
  return { url, sql, stop: async () => { await sql.end({ timeout: 1 }); cluster.stop(); } };
}
