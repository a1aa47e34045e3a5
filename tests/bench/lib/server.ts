// The real Chative server, started through the server suite's own helper so the bench runs
// exactly what the tests run. Answers null while that helper does not exist yet.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pidListeningOn } from './proc';

export type ServerHandle = {
  url: string;
  port: number;
  dataDir: string;
  agentToken: string;
  secret: string;
  kill(signal?: NodeJS.Signals): unknown;
  stop(): Promise<void>;
};

export type StartServer = (o?: { env?: Record<string, string>; dataDir?: string }) => Promise<ServerHandle>;

/** High enough that the rate limiter never shapes a benchmark (CHATIVE_RATE_LIMIT is a multiplier). */
export const BENCH_ENV = { CHATIVE_RATE_LIMIT: '100000', CHATIVE_DEMO: '0' };

export async function loadStartServer(root: string, nodeArgs: string[] = []): Promise<StartServer | null> {
  const main = join(root, 'server-stub/src/main.ts');
  // Profiling flags cannot travel in NODE_OPTIONS, so a profiled run spawns main.ts itself.
  if (nodeArgs.length) return existsSync(main) ? (o) => spawnMain(main, o?.env ?? {}, o?.dataDir, nodeArgs) : null;
  const file = join(root, 'tests/server/helpers/spawn-server.ts');
  if (existsSync(file)) {
    const mod = (await import(pathToFileURL(file).href)) as { startServer?: StartServer };
    if (mod.startServer) return mod.startServer;
  }
  return existsSync(main) ? (o) => spawnMain(main, o?.env ?? {}, o?.dataDir) : null;
}

/** Fallback while the server suite's helper is missing: node + tsx on main.ts, port 0, temp DATA_DIR. */
async function spawnMain(main: string, env: Record<string, string>, givenDir?: string, nodeArgs: string[] = []): Promise<ServerHandle> {
  const dataDir = givenDir ?? mkdtempSync(join(tmpdir(), 'chative-bench-'));
  const agentToken = randomBytes(32).toString('base64url');
  const secret = randomBytes(24).toString('hex');
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', main], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CHATIVE_AGENT_TOKEN: agentToken, CHATIVE_SITE_SECRET: secret, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      const m = /^CHATIVE_LISTENING (\S+)/.exec(line);
      if (m) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
  });
  return {
    url, port: Number(new URL(url).port), dataDir, agentToken, secret,
    kill: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
      if (!givenDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A started server plus the pid of the process actually listening (not a tsx wrapper). */
export async function startBenchServer(start: StartServer, env: Record<string, string> = {}, dataDir?: string) {
  const server = await start({ env: { ...BENCH_ENV, ...env }, dataDir });
  const pid = pidListeningOn(server.port);
  return { server, pid };
}

/** JSON over fetch with a bearer token; throws with the body on a non-2xx answer. */
export async function call<T = any>(base: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}
