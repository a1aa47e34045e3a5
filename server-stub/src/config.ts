// Environment -> configuration (CONTRACT §2); creates DATA_DIR and the agent token file on first start.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkEnvSecret } from './services/settings.js';

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  agentToken: string;
  /** What to print about the token: the token itself only on the start that created it. */
  agentTokenNote: string;
  siteSecret?: string;
  allowedOrigins?: string[];
  rateLimit: number;
  demo: boolean;
};

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 8787 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0-65535, got "${env.PORT}"`);
  const dataDir = resolve(env.DATA_DIR || './data');
  mkdirSync(dataDir, { recursive: true });
  const rateLimit = env.CHATIVE_RATE_LIMIT === undefined || env.CHATIVE_RATE_LIMIT === '' ? 1 : Number(env.CHATIVE_RATE_LIMIT);
  if (!Number.isFinite(rateLimit) || rateLimit < 0) throw new Error('CHATIVE_RATE_LIMIT must be a number >= 0 (a multiplier; 0 turns limits off)');
  // checked by the stored settings' own rule, before anything is opened: a bad secret never starts a server
  if (env.CHATIVE_SITE_SECRET) checkEnvSecret(env.CHATIVE_SITE_SECRET);
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
    rateLimit,
    demo: env.CHATIVE_DEMO !== '0',
  };
}

function agentToken(fromEnv: string | undefined, dataDir: string): { token: string; note: string } {
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error('CHATIVE_AGENT_TOKEN must be at least 16 characters');
    return { token: fromEnv, note: 'from CHATIVE_AGENT_TOKEN' };
  }
  const file = join(dataDir, 'agent-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), note: `kept in ${file}` };
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, note: `${token}\n                 (generated now, printed this once; kept in ${file})` };
}
