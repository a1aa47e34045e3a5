// The real Chative server, started through the server suite's own helper so the bench runs
// exactly what the tests run. Answers null while that helper does not exist yet.
import { existsSync } from 'node:fs';
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

export type StartServer = (o?: { env?: Record<string, string> }) => Promise<ServerHandle>;

/** High enough that the rate limiter never shapes a benchmark (CHATIVE_RATE_LIMIT is a multiplier). */
export const BENCH_ENV = { CHATIVE_RATE_LIMIT: '100000', CHATIVE_DEMO: '0' };

export async function loadStartServer(root: string): Promise<StartServer | null> {
  const file = join(root, 'tests/server/helpers/spawn-server.ts');
  if (!existsSync(file)) return null;
  const mod = (await import(pathToFileURL(file).href)) as { startServer?: StartServer };
  return mod.startServer ?? null;
}

/** A started server plus the pid of the process actually listening (not a tsx wrapper). */
export async function startBenchServer(start: StartServer, env: Record<string, string> = {}) {
  const server = await start({ env: { ...BENCH_ENV, ...env } });
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
