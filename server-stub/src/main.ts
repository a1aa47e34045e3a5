// Reads the environment, opens the store, listens. Nothing else.
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createApp } from './app.js';
import { ConfigError, readConfig, redactedDatabaseUrl } from './config.js';
import { guardConnections, overloadedResponse } from './http/connections.js';
import { createLocalBus, type Bus } from './live/bus.js';
import { createHub } from './live/hub.js';
import { createPgBus } from './live/pg-bus.js';
import { createPgStore } from './storage/pg-store.js';
import { createSqliteStore } from './storage/sqlite-store.js';
import type { Store } from './storage/store.js';

/** A start that cannot work ends with one clear line, not a stack trace. */
async function startOrExit<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    console.error(err instanceof ConfigError ? `Chative cannot start: ${e.message}` : `Chative cannot start: ${what} failed: ${e.code ? `${e.code}: ` : ''}${e.message}`);
    process.exit(1);
  }
}

const config = await startOrExit('reading the configuration', () => readConfig(process.env));
const dbFile = join(config.dataDir, 'chative.sqlite');
// DATABASE_URL picks PostgreSQL (several instances may share it); unset, the SQLite file in DATA_DIR as always
const dbName = config.databaseUrl ? redactedDatabaseUrl(config.databaseUrl) : dbFile;
const hub = createHub();
let store: Store;
let bus: Bus;
if (config.databaseUrl) {
  const pg = await startOrExit(`opening the database ${dbName}`, () => createPgStore(config.databaseUrl!, { poolSize: config.pgPool }));
  const pgBus = createPgBus(hub, pg, pg.sql, { pollMs: config.busPollMs });
  await startOrExit('listening for other instances (LISTEN)', () => pgBus.start());
  store = pg;
  bus = pgBus;
} else {
  store = await startOrExit(`opening the database ${dbFile}`, () => createSqliteStore(dbFile));
  bus = createLocalBus(hub);
}
let draining = false;
// the stored settings are read here: an unreadable row stops the start (never replaced by defaults)
const app = await startOrExit('loading the site settings', async () => {
  try {
    return await createApp({ store, hub: bus, trustProxy: config.trustProxy, health: { draining: () => draining }, agentToken: config.agentToken, siteSecret: config.siteSecret, allowedOrigins: config.allowedOrigins, publicOrigin: config.publicOrigin, rateLimit: config.rateLimit, demo: config.demo, jobLeaseMs: config.jobLeaseMs });
  } catch (err) {
    await store.close();
    throw err;
  }
});

// issue 11: with no owner, CHATIVE_OWNER_* make one, else a one-time setup link is printed once listening
const team = await startOrExit('preparing the team', () => app.services.accounts.prepare({ ownerEmail: config.owner?.email, ownerPassword: config.owner?.password }));

// idempotency records past their retry window go at start and every hour
await startOrExit('pruning old idempotency records', () => app.services.idempotency.prune());
const pruning = setInterval(() => {
  app.services.idempotency.prune().catch((err: Error) => console.error('pruning idempotency records failed (retried next hour):', err.message));
  app.services.accounts.pruneSessions().catch((err: Error) => console.error('pruning ended agent sessions failed (retried next hour):', err.message));
}, 3600_000);
pruning.unref();
// durable periodic tasks (rules' inactivity check, …): those due while the server was down run now
app.services.schedule.start();
// webhook deliveries still due from before the restart go now; retries follow their timetable
app.services.webhooks.start();

let guard: ReturnType<typeof guardConnections> | undefined;
const server = serve({
  fetch: (req, env) => (guard?.overloaded() ? overloadedResponse() : app.fetch(req, env)),
  port: config.port,
  hostname: config.host,
  // slow headers and never-ending bodies are cut (408 / close); the check runs often enough to honour short limits
  serverOptions: {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: Math.max(config.requestTimeoutMs, config.headersTimeoutMs),
    connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(config.headersTimeoutMs / 4))),
  },
}, (info) => {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${info.port}`;
  console.log(`Chative is running at ${url}
  demo shop      ${url}/
  agent console  ${url}/console/
  widget         ${url}/widget.js
  embed snippet  <script async src="${url}/widget.js" data-site="default"></script>
  database       ${dbName}
  agent token    ${config.agentTokenNote}`);
  if (team?.created) console.log(`  owner          ${team.created} (from CHATIVE_OWNER_EMAIL)`);
  if (team?.setupToken) console.log(`  first start: create the owner account at (one-time link)\n  ${config.publicOrigin ?? url}/console/#/setup?token=${team.setupToken}`);
  // a machine-readable line for tests and scripts
  // the demo route signs with the real site secret (demo-* ids only): say so every start
  if (config.demo) console.log('WARNING: demo signing is on: POST /demo/login signs "demo-*" customer ids with the site secret. Set CHATIVE_DEMO=0 in production.');
  console.log(`CHATIVE_LISTENING ${url}`);
}) as Server;
guard = guardConnections(server, config.maxConnections);
server.on('error', (err: NodeJS.ErrnoException) => {
  console.error(`Chative cannot start: listening on ${config.host}:${config.port} failed: ${err.code ?? ''} ${err.message}`);
  process.exit(1);
});

/**
 * SIGTERM: GET /health answers 503 and the port closes (the balancer sends new requests elsewhere), open streams
 * are told to `resume` (their clients reconnect to another instance at once), requests in flight finish within
 * CHATIVE_SHUTDOWN_MS, then the bus and the store close. A second signal exits at once.
 */
let stopping = false;
function shutdown(signal: string) {
  if (stopping) {
    console.log(`${signal} again: exiting now`);
    process.exit(1);
  }
  stopping = true;
  draining = true;
  console.log(`${signal}: shutting down (streams handed over, requests in flight get ${config.shutdownMs} ms)`);
  clearInterval(pruning);
  let exited = false;
  const exit = () => {
    if (exited) return;
    exited = true;
    // jobs first: the batch in flight commits and the leases are let go, so another instance resumes them at once
    void app.services.jobs.stop()
      .then(() => bus.close())
      .then(() => Promise.all([app.services.schedule.close(), app.services.webhooks.close()]))
      .then(() => store.close())
      .catch((err: Error) => console.error('closing the store failed', err.message))
      .finally(() => process.exit(0));
  };
  server.close(() => exit());
  hub.closeAll();
  // idle keep-alive sockets hold no request: close them now; busy ones close after their answer
  server.closeIdleConnections?.();
  setTimeout(() => {
    server.closeAllConnections?.();
    exit();
  }, config.shutdownMs).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
