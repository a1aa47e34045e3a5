// vitest globalSetup: a throwaway PostgreSQL cluster for this test run (initdb into tests/.tmp/pg-*, started as a plain
// process on 127.0.0.1, removed at the end; never one left running from before). Test files get its admin URL through
// inject('pgAdminUrl') and make their own database (tests/server/helpers/pg.ts). Without PostgreSQL binaries the URL is
// '' and the PostgreSQL runs are skipped, said in ONE line here; under CI=true a missing PostgreSQL is an error.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://… of the run's cluster (superuser, database "postgres"), or '' when PostgreSQL is not installed. */
    pgAdminUrl: string;
  }
}

/** Debian's layout (/usr/lib/postgresql/<major>/bin), newest major first; null when absent. */
export function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return majors.length ? join(root, majors[0], 'bin') : null;
}

const freePort = () =>
  new Promise<number>((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

type Provide = { provide(key: 'pgAdminUrl', value: string): void };

export type PgCluster = { adminUrl: string; stop(): void };

/**
 * Starts a throwaway cluster from `bin` into a new tests/.tmp/pg-* directory. durable: fsync and synchronous_commit
 * on (the bench, where every event must be durable); otherwise off (tests: nothing must survive a crash). settings:
 * more `-c name=value` server settings.
 */
export async function startPgCluster(bin: string, opts: { durable?: boolean; settings?: Record<string, string> } = {}): Promise<PgCluster> {
  const root = resolve('tests/.tmp');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, 'pg-'));
  // PostgreSQL refuses to run as root: the cluster belongs to the postgres user then
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const runAs = (cmd: string, args: string[]) =>
    asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { encoding: 'utf8' }) : spawnSync(join(bin, cmd), args, { encoding: 'utf8' });
  const run = (cmd: string, args: string[]) => {
    const r = runAs(cmd, args);
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  const data = join(dir, 'data');
  const stop = () => {
    const r = runAs('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    if (r.status !== 0 && existsSync(join(data, 'postmaster.pid'))) {
      // only the postmaster we started, by its pid
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // C locale: byte order like SQLite
    run('initdb', ['-D', data, '-U', 'chative', '--auth=trust', '--encoding=UTF8', '--locale=C', ...(opts.durable ? [] : ['--no-sync'])]);
    const speed = opts.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
    // server settings a caller adds (the bench's contacts-pg: docs/DEPLOY.md's tuning); the test suites pass none
    const extra = Object.entries(opts.settings ?? {}).map(([k, v]) => ` -c ${k}=${v}`).join('');
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=300${speed}${extra}`, 'start']);
        return { adminUrl: `postgres://chative@127.0.0.1:${port}/postgres`, stop };
      } catch (err) {
        // the free port may have been taken between the probe and the start
        if (attempt >= 3) throw err;
      }
    }
  } catch (err) {
    stop();
    throw err;
  }
}

export default async function setup(project: Provide): Promise<() => void> {
  const bin = pgBinDir();
  if (!bin) {
    const why = 'SKIPPED: the PostgreSQL runs (store-*.test.ts on PostgreSQL and the server-pg project) — no PostgreSQL binaries in /usr/lib/postgresql/*/bin (install Debian\'s "postgresql" to run them; .ci/run does)';
    if (process.env.CI === 'true') throw new Error(`CI=true but PostgreSQL is missing: ${why}`);
    console.log(why);
    project.provide('pgAdminUrl', '');
    return () => {};
  }
  const cluster = await startPgCluster(bin);
  project.provide('pgAdminUrl', cluster.adminUrl);
  return cluster.stop;
}
