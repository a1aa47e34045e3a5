// createApp(deps): mounts every route and the one error handler; no I/O of its own beyond the deps.
import { Hono } from 'hono';
import { resolve } from 'node:path';
import { LIMITS } from './domain/limits.js';
import { agentAuth, visitorAuth } from './http/auth.js';
import { createBodyLimit } from './http/body-limit.js';
import { widgetCors } from './http/cors.js';
import type { AppEnv } from './http/env.js';
import { HttpError } from './http/http-error.js';
import { createRateLimiter, type RateLimiter } from './http/rate-limit.js';
import { createHub, type Hub } from './live/hub.js';
import { contactRoutes } from './routes/contacts.js';
import { typingRoutes } from './routes/typing.js';
import { conversationRoutes } from './routes/conversations.js';
import { customFieldRoutes } from './routes/custom-fields.js';
import { demoRoutes } from './routes/demo.js';
import { messageRoutes } from './routes/messages.js';
import { sessionRoutes } from './routes/session.js';
import { settingsRoutes } from './routes/settings.js';
import { staticRoutes } from './routes/static.js';
import { streamRoutes } from './routes/stream.js';
import { syncRoutes } from './routes/sync.js';
import { tagRoutes } from './routes/tags.js';
import { createServices, type Services } from './services/index.js';
import type { Store } from './storage/store.js';

export type AppDeps = {
  store: Store;
  agentToken: string;
  /** CHATIVE_SITE_SECRET: wins over the stored secret at start. */
  siteSecret?: string;
  /** CHATIVE_ALLOWED_ORIGINS; when unset, http://localhost:* and http://127.0.0.1:* are allowed. */
  allowedOrigins?: string[];
  /** CHATIVE_RATE_LIMIT multiplier (0 = off). */
  rateLimit?: number;
  demo?: boolean;
  distDir?: string;
  hub?: Hub;
  limiter?: RateLimiter;
  keepAliveMs?: number;
};

const DEFAULT_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'];
const WIDGET_PATHS = ['/v1/sites/*', '/v1/sessions', '/v1/session', '/v1/sync', '/v1/messages', '/v1/stream', '/v1/typing'];
const VISITOR_PATHS = ['/v1/session', '/v1/sync', '/v1/messages', '/v1/stream', '/v1/typing'];
const AGENT_PATHS = ['/v1/contacts', '/v1/contacts/*', '/v1/tags', '/v1/tags/*', '/v1/custom-fields', '/v1/custom-fields/*', '/v1/conversations', '/v1/conversations/*', '/v1/settings', '/v1/settings/*', '/v1/agent/*'];

/** The whole HTTP surface as a Hono app (testable with app.request()). */
export function createApp(deps: AppDeps): Hono<AppEnv> & { services: Services } {
  const hub = deps.hub ?? createHub();
  const limiter = deps.limiter ?? createRateLimiter(deps.rateLimit ?? 1);
  const s = createServices({ store: deps.store, hub, limiter, envSecret: deps.siteSecret, keepAliveMs: deps.keepAliveMs });
  const envOrigins = deps.allowedOrigins?.length ? deps.allowedOrigins : DEFAULT_ORIGINS;
  const app = new Hono<AppEnv>();

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      return c.json({ error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } }, err.status, err.headers);
    }
    if (err instanceof URIError) return c.json({ error: { code: 'bad_request', message: 'malformed URL encoding' } }, 400);
    // a client that hung up or sent a broken chunk mid-body is not a server fault: no log line
    const code = (err as NodeJS.ErrnoException).code;
    if (err.message === 'aborted' || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
      return c.json({ error: { code: 'body_incomplete', message: 'request body ended early' } }, 400);
    }
    // never log request bodies or headers here: they may hold tokens
    console.error('unexpected error', c.req.method, new URL(c.req.url).pathname, err instanceof Error ? err.stack : err);
    return c.json({ error: { code: 'internal_error', message: 'unexpected server error' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'no such endpoint' } }, 404));

  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('x-content-type-options', 'nosniff');
    c.res.headers.set('referrer-policy', 'no-referrer');
  });
  for (const p of WIDGET_PATHS) app.use(p, widgetCors(() => [...envOrigins, ...s.settings.get().allowedOrigins]));
  app.use('/v1/*', createBodyLimit(LIMITS.bodyBytes));
  app.use('/demo/*', createBodyLimit(LIMITS.bodyBytes, 'request body too large'));
  for (const p of VISITOR_PATHS) app.use(p, visitorAuth(s.store));
  for (const p of AGENT_PATHS) app.use(p, agentAuth(deps.agentToken));

  app.route('/', sessionRoutes(s));
  app.route('/', syncRoutes(s));
  app.route('/', messageRoutes(s));
  app.route('/', streamRoutes(s));
  app.route('/', contactRoutes(s));
  app.route('/', tagRoutes(s));
  app.route('/', customFieldRoutes(s));
  app.route('/', conversationRoutes(s));
  app.route('/', typingRoutes(s));
  app.route('/', settingsRoutes(s));
  if (deps.demo ?? true) app.route('/', demoRoutes(s));
  app.route('/', staticRoutes(deps.distDir ?? resolve(import.meta.dirname, '../../dist')));

  return Object.assign(app, { services: s });
}
