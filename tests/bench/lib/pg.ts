// PostgreSQL for the bench: a durable throwaway cluster (fsync and synchronous_commit on: every event durable, as the
// issue's goal demands) with one database, or null when PostgreSQL is not installed.
import postgres from 'postgres';
import { pgBinDir, startPgCluster } from '../../setup/pg-cluster';

export type BenchPg = { url: string; sql: postgres.Sql; stop(): Promise<void> };

/**
 * docs/DEPLOY.md's tuning (§1), sized for this bench's data rather than 25 % of RAM: the machine is shared, and 2 GB
 * holds the 1M contacts' tables and indexes (~1.5 GB) where the default 128 MB does not.
 */
export const TUNED_PG: Record<string, string> = { shared_buffers: '2GB', effective_cache_size: '8GB', random_page_cost: '1.1', effective_io_concurrency: '200' };

/** settings: extra server settings (contacts-pg passes TUNED_PG unless --pg-untuned); every other section runs the defaults. */
export async function startBenchPg(settings?: Record<string, string>): Promise<BenchPg | null> {
  const bin = pgBinDir();
  if (!bin) return null;
  const cluster = await startPgCluster(bin, { durable: true, settings });
  const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} });
  await admin`CREATE DATABASE chative TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`;
  await admin.end();
  const url = cluster.adminUrl.replace(/\/postgres$/, '/chative');
  const sql = postgres(url, { max: 2, onnotice: () => {}, types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } } });
  return { url, sql, stop: async () => { await sql.end({ timeout: 1 }); cluster.stop(); } };
}
