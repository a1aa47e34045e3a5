// Reads the environment, opens the store, listens. Nothing else.
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { readConfig } from './config.js';
import { ConfigError } from './services/settings.js';
import { createHub } from './live/hub.js';
import { createSqliteStore } from './storage/sqlite-store.js';
import { join } from 'node:path';

/** Builds everything the server needs; a configuration problem stops the start with one clear line, not a stack. */
function boot() {
  try {
    let config: ReturnType<typeof readConfig>;
    try {
      config = readConfig(process.env);
    } catch (err) {
      // everything readConfig refuses is the environment's fault
      throw new ConfigError((err as Error).message);
    }
    const store = createSqliteStore(join(config.dataDir, 'chative.sqlite'));
    const hub = createHub();
    try {
      const app = createApp({ store, hub, agentToken: config.agentToken, siteSecret: config.siteSecret, allowedOrigins: config.allowedOrigins, rateLimit: config.rateLimit, demo: config.demo });
      return { config, store, hub, app };
    } catch (err) {
      store.close();
      throw err;
    }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`Chative cannot start: ${err.message}`);
    process.exit(1);
  }
}
const { config, store, hub, app } = boot();

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${info.port}`;
  console.log(`Chative is running at ${url}
  demo shop      ${url}/
  agent console  ${url}/console/
  widget         ${url}/widget.js
  embed snippet  <script async src="${url}/widget.js" data-site="default"></script>
  database       ${join(config.dataDir, 'chative.sqlite')}
  agent token    ${config.agentTokenNote}`);
  // a machine-readable line for tests and scripts
  // the demo route signs with the real site secret (demo-* ids only): say so every start
  if (config.demo) console.log('WARNING: demo signing is on: POST /demo/login signs "demo-*" customer ids with the site secret. Set CHATIVE_DEMO=0 in production.');
  console.log(`CHATIVE_LISTENING ${url}`);
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  hub.closeAll();
  server.close(() => {
    store.close();
    process.exit(0);
  });
  // streams or keep-alive sockets must not hold the exit forever
  setTimeout(() => {
    store.close();
    process.exit(0);
  }, 3000).unref();
  (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
