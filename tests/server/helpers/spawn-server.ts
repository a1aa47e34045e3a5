// Runs the real server (server-stub/src/main.ts) as a child process on a free port with a temp DATA_DIR.
// Used by server, browser, security and bench suites: keep the signature stable.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type RunningServer = {
  url: string;
  port: number;
  dataDir: string;
  /** CHATIVE_TEST_ENGINE=pg: the PostgreSQL database the server runs on (DATABASE_URL); undefined on SQLite. */
  databaseUrl?: string;
  agentToken: string;
  secret: string;
  /** Everything the process printed so far (stdout + stderr). */
  output(): string;
  /** Sends a signal (default SIGTERM) and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, wait for exit, and remove DATA_DIR if this helper created it. */
  stop(): Promise<void>;
  process: ChildProcess;
};

const ROOT = resolve(import.meta.dirname, '../../..');
const MAIN = join(ROOT, 'server-stub/src/main.ts');
// CHATIVE_TEST_ENGINE=pg (the server-pg project): each new DATA_DIR gets its own fresh database; a restart on the same
// DATA_DIR reopens it, like the SQLite file would
const pgOfDir = new Map<string, string>();
/** The PostgreSQL database a DATA_DIR's servers ran on (CHATIVE_TEST_ENGINE=pg), else undefined. */
export const databaseOfDir = (dataDir: string): string | undefined => pgOfDir.get(dataDir);
async function databaseFor(dataDir: string): Promise<string | undefined> {
  if (process.env.CHATIVE_TEST_ENGINE !== 'pg') return undefined;
  let url = pgOfDir.get(dataDir);
  if (!url) {
    // imported only here: pg.ts needs vitest's globalSetup, which the bench and other callers do not run
    const { freshPgDatabase } = await import('./pg.js');
    pgOfDir.set(dataDir, (url = await freshPgDatabase()));
  }
  return url;
}

/** Starts the server; pass `dataDir` to reuse a database (e.g. restart after kill -9). */
export async function startServer(opts: { env?: Record<string, string>; dataDir?: string; timeoutMs?: number } = {}): Promise<RunningServer> {
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'chative-srv-'));
  const agentToken = opts.env?.CHATIVE_AGENT_TOKEN ?? randomBytes(32).toString('base64url');
  const secret = opts.env?.CHATIVE_SITE_SECRET ?? randomBytes(32).toString('hex');
  const databaseUrl = opts.env?.DATABASE_URL ?? (await databaseFor(dataDir));
  const env = {
    ...process.env,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CHATIVE_AGENT_TOKEN: agentToken,
    CHATIVE_SITE_SECRET: secret,
    ...opts.env,
  };
  // node --import tsx: one process, so kill -9 really kills the server (no wrapper left behind)
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  // 'close', not 'exit': after it every line the server printed has been read, so output() is complete
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start within ${opts.timeoutMs ?? 30000} ms:\n${out}`)), opts.timeoutMs ?? 30000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /CHATIVE_LISTENING (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`server exited (${code}) before listening:\n${out}`));
    });
  });
  // with CHATIVE_AGENT_TOKEN / CHATIVE_SITE_SECRET set to '', the server generated them: read them back
  const realToken = agentToken || readFileSync(join(dataDir, 'agent-token'), 'utf8').trim();
  let realSecret = secret;
  if (!realSecret) {
    const r = await fetch(`${url}/v1/settings`, { headers: { authorization: `Bearer ${realToken}` } });
    realSecret = ((await r.json()) as { secret: string }).secret;
  }
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    databaseUrl,
    agentToken: realToken,
    secret: realSecret,
    output: () => out,
    kill,
    async stop() {
      await kill('SIGTERM');
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
    process: child,
  };
}
