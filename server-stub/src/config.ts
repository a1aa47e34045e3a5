// Environment -> configuration (CONTRACT §2); creates DATA_DIR and the agent token file on first start.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { checkEnvSecret } from './services/settings.js';
import { DEFAULT_LEASE_MS } from './services/jobs.js';
import { pgTarget, redactedPgUrl } from './storage/pg-url.js';

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  agentToken: string;
  /** What to print about the token: the token itself only on the start that created it. */
  agentTokenNote: string;
  siteSecret?: string;
  allowedOrigins?: string[];
  /** CHATIVE_PUBLIC_URL: the origin browsers see (behind a proxy); the own-origin CORS check uses it, never the Host header. */
  publicOrigin?: string;
  rateLimit: number;
  demo: boolean;
  /** Open connections past which requests are shed with 503, and the hard cap where sockets are refused. */
  maxConnections: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** CHATIVE_TRUST_PROXY: how many proxies in front append to X-Forwarded-For (0 = use the socket peer). */
  trustProxy: number;
  /** CHATIVE_SHUTDOWN_MS: how long SIGTERM waits for requests in flight before closing what is left. */
  shutdownMs: number;
  /** CHATIVE_PG_POLL_MS: the live bus's safety-net poll for messages whose doorbell was lost (PostgreSQL only). */
  busPollMs: number;
  /** DATABASE_URL (postgres://…): the PostgreSQL store instead of DATA_DIR's SQLite file (CONTRACT §10). */
  databaseUrl?: string;
  /** CHATIVE_PG_POOL: connections this instance may open to PostgreSQL. */
  pgPool: number;
  /** CHATIVE_OWNER_EMAIL + CHATIVE_OWNER_PASSWORD: the first owner, made unattended when the team has none (issue 11). */
  owner?: { email: string; password: string };
  /** CHATIVE_JOB_LEASE_MS: how long a background job stays claimed by an instance without a renewal (services/jobs.ts). */
  jobLeaseMs: number;
};

/** A start-up refusal: main.ts prints its message as one line and exits 1 (no stack). */
export { ConfigError };

const MIN_AGENT_TOKEN = 32;

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 8787 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be 0-65535, got "${env.PORT}"`);
  const dataDir = resolve(env.DATA_DIR || './data');
  writableDir(dataDir);
  const rateLimit = env.CHATIVE_RATE_LIMIT === undefined || env.CHATIVE_RATE_LIMIT === '' ? 1 : Number(env.CHATIVE_RATE_LIMIT);
  if (!Number.isFinite(rateLimit) || rateLimit < 0) throw new ConfigError('CHATIVE_RATE_LIMIT must be a number >= 0 (a multiplier; 0 turns limits off)');
  // checked by the stored settings' own rule, before anything is opened: a bad secret never starts a server
  if (env.CHATIVE_SITE_SECRET) checkEnvSecret(env.CHATIVE_SITE_SECRET);
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL);
  // every instance on one database must accept the same agent token: a generated one would live in one DATA_DIR only
  if (databaseUrl && !env.CHATIVE_AGENT_TOKEN) throw new ConfigError('DATABASE_URL is set: set CHATIVE_AGENT_TOKEN too (the same value on every instance; generate one with: openssl rand -base64 32)');
  const { token, note } = agentToken(env.CHATIVE_AGENT_TOKEN, dataDir);
  const origins = (env.CHATIVE_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir,
    agentToken: token,
    agentTokenNote: note,
    siteSecret: env.CHATIVE_SITE_SECRET || undefined,
    allowedOrigins: origins.length ? origins : undefined,
    publicOrigin: publicOrigin(env.CHATIVE_PUBLIC_URL),
    rateLimit,
    demo: env.CHATIVE_DEMO !== '0',
    maxConnections: positiveInt(env, 'CHATIVE_MAX_CONNECTIONS', defaultMaxConnections()),
    headersTimeoutMs: positiveInt(env, 'CHATIVE_HEADERS_TIMEOUT_MS', 10_000),
    requestTimeoutMs: positiveInt(env, 'CHATIVE_REQUEST_TIMEOUT_MS', 30_000),
    trustProxy: env.CHATIVE_TRUST_PROXY === undefined || env.CHATIVE_TRUST_PROXY === '' || env.CHATIVE_TRUST_PROXY === '0' ? 0 : positiveInt(env, 'CHATIVE_TRUST_PROXY', 0),
    shutdownMs: positiveInt(env, 'CHATIVE_SHUTDOWN_MS', 10_000),
    busPollMs: positiveInt(env, 'CHATIVE_PG_POLL_MS', 1_000),
    databaseUrl,
    pgPool: positiveInt(env, 'CHATIVE_PG_POOL', 10),
    owner: ownerFromEnv(env),
    jobLeaseMs: positiveInt(env, 'CHATIVE_JOB_LEASE_MS', DEFAULT_LEASE_MS),
  };
}

function ownerFromEnv(env: NodeJS.ProcessEnv): Config['owner'] {
  const email = env.CHATIVE_OWNER_EMAIL?.trim();
  const password = env.CHATIVE_OWNER_PASSWORD;
  if (!email && !password) return undefined;
  if (!email || !password) throw new ConfigError('CHATIVE_OWNER_EMAIL and CHATIVE_OWNER_PASSWORD go together: set both (or neither)');
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new ConfigError(`CHATIVE_OWNER_EMAIL is not an email address: "${email}"`);
  if (password.length < 10) throw new ConfigError('CHATIVE_OWNER_PASSWORD must be at least 10 characters');
  return { email, password };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a whole number >= 1, got "${raw}"`);
  return n;
}

/** Half the open-file limit (the rest is for SQLite, the WAL, dist/ files and slack), at most 10,000. */
function defaultMaxConnections(): number {
  let soft = 1024;
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (m) soft = Number(m[1]);
  } catch {
    // not Linux: assume the common 1024
  }
  return Math.max(64, Math.min(10_000, Math.floor(soft / 2)));
}

/** Only PostgreSQL URLs (host:port, or a Unix socket directory: storage/pg-url.ts): anything else would be a silent fallback to SQLite on a typo. */
function parseDatabaseUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    pgTarget(raw);
  } catch (err) {
    throw new ConfigError(`${(err as Error).message} (unset it to use the SQLite file in DATA_DIR)`);
  }
  return raw;
}

/** The URL without its password, for the start-up banner. */
export const redactedDatabaseUrl = redactedPgUrl;

function publicOrigin(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`CHATIVE_PUBLIC_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(`CHATIVE_PUBLIC_URL must be http(s), got "${raw}"`);
  return u.origin;
}

/** Creates DATA_DIR and proves it is writable now, so a read-only folder is one clear line, not a stack from SQLite. */
function writableDir(dir: string) {
  try {
    mkdirSync(dir, { recursive: true });
    // a real write, not access(): root passes access() on a read-only mount
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    throw new ConfigError(`DATA_DIR "${dir}" cannot be created or written (${(err as NodeJS.ErrnoException).code ?? 'error'}): point DATA_DIR at a folder this user may write`);
  }
}

/** Refuses tokens a guesser could find: too short, or made of few distinct characters ("aaaa…", "abab…"). */
export function checkAgentToken(token: string): void {
  if (token.length < MIN_AGENT_TOKEN) throw new ConfigError(`CHATIVE_AGENT_TOKEN must be at least ${MIN_AGENT_TOKEN} characters (got ${token.length}); generate one with: openssl rand -base64 32`);
  if (new Set(token).size < 10) throw new ConfigError('CHATIVE_AGENT_TOKEN is too predictable (fewer than 10 distinct characters); generate one with: openssl rand -base64 32');
}

function agentToken(fromEnv: string | undefined, dataDir: string): { token: string; note: string } {
  if (fromEnv) {
    checkAgentToken(fromEnv);
    return { token: fromEnv, note: 'from CHATIVE_AGENT_TOKEN' };
  }
  const file = join(dataDir, 'agent-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), note: `kept in ${file}` };
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, note: `${token}\n                 (generated now, printed this once; kept in ${file})` };
}
