// createApp(deps): mounts every route and the one error handler; no I/O of its own beyond the deps.
import { Hono } from 'hono';
import { resolve } from 'node:path';
import { LIMITS } from '../../widget/src/contract/limits.js';
import { role, teamAuth, visitorAuth, withDeclaredRoles } from './http/auth.js';
import { checkOrigin } from './http/agent-session.js';
import { createBodyLimit } from './http/body-limit.js';
import { widgetCors } from './http/cors.js';
import { createRefusalLog } from './http/refusal-log.js';
import type { AppEnv } from './http/env.js';
import { apiRequestShape, storageFailure } from './http/edge.js';
import { HttpError } from './http/http-error.js';
import { createRateLimiter, type RateLimiter } from './http/rate-limit.js';
import { mountGroup, type GroupName, type RouteKey } from './http/route-group.js';
import { createHub, type Hub } from './live/hub.js';
import { createLocalBus, isBus, type Bus } from './live/bus.js';
import { healthRoutes, type Health } from './routes/health.js';
import { contactRoutes } from './routes/contacts.js';
import { eraseRoutes } from './routes/erase.js';
import { exportRoutes } from './routes/export.js';
import { importRoutes } from './routes/imports.js';
import { mergeRoutes } from './routes/merge.js';
import { IMPORT_MAX_BYTES } from './services/import-file.js';
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
import { activityRoutes } from './routes/activity.js';
import { agentRoutes } from './routes/agents.js';
import { authRoutes } from './routes/auth.js';
import { searchRoutes } from './routes/search.js';
import { webhookRoutes } from './routes/webhooks.js';
import { ruleRoutes } from './routes/rules.js';
import { createServices, type Services } from './services/index.js';
import type { Store } from './storage/store.js';
import { DEFAULT_SITE } from './services/settings.js';

export type AppDeps = {
  store: Store;
  agentToken: string;
  /** CHATIVE_SITE_SECRET: wins over the stored secret at start. */
  siteSecret?: string;
  /** CHATIVE_ALLOWED_ORIGINS; when unset, http://localhost:* and http://127.0.0.1:* are allowed. */
  allowedOrigins?: string[];
  /** CHATIVE_PUBLIC_URL's origin: the widget API's own origin (else the listening address; never the Host header). */
  publicOrigin?: string;
  /** CHATIVE_RATE_LIMIT multiplier (0 = off). */
  rateLimit?: number;
  demo?: boolean;
  distDir?: string;
  /** The live bus (live/bus.ts); a bare Hub is wrapped as a one-process bus. */
  hub?: Hub | Bus;
  limiter?: RateLimiter;
  /** CHATIVE_TRUST_PROXY: proxies in front whose X-Forwarded-For entries are believed (http/client-ip.ts). */
  trustProxy?: number;
  /** main.ts says when the instance is stopping (GET /health answers 503). */
  health?: Health;
  keepAliveMs?: number;
  /** CHATIVE_JOB_LEASE_MS (services/jobs.ts). */
  jobLeaseMs?: number;
};

const DEFAULT_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'];

/** The whole HTTP surface as a Hono app (testable with app.request()); async: the settings are loaded from the store first. */
export async function createApp(deps: AppDeps): Promise<Hono<AppEnv> & { services: Services; groups: Record<GroupName, RouteKey[]> }> {
  const hub = deps.hub && isBus(deps.hub) ? deps.hub : createLocalBus(deps.hub ?? createHub());
  const limiter = deps.limiter ?? createRateLimiter(deps.rateLimit ?? 1);
  const s = await createServices({ store: deps.store, hub, limiter, envSecret: deps.siteSecret, keepAliveMs: deps.keepAliveMs, jobLeaseMs: deps.jobLeaseMs });
  const envOrigins = deps.allowedOrigins?.length ? deps.allowedOrigins : DEFAULT_ORIGINS;
  const app = new Hono<AppEnv>();

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      return c.json({ error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } }, err.status, err.headers);
    }
    const storage = storageFailure(err);
    if (storage) return c.json({ error: { code: storage.code, message: storage.message } }, storage.status, storage.headers);
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
    if (deps.trustProxy) c.set('trustProxy', deps.trustProxy);
    await next();
    c.res.headers.set('x-content-type-options', 'nosniff');
    c.res.headers.set('referrer-policy', 'no-referrer');
  });
  // pages of the demo shop answer like the API at the edge (HEAD, Content-Type); the API's groups carry it in their guards
  if (deps.demo ?? true) app.use('/demo/*', apiRequestShape());
  app.use('/demo/*', createBodyLimit(LIMITS.bodyBytes, 'request body too large'));

  // Who may call a route is the group its module is mounted in (route-group.ts); CORS first so even a
  // refusal carries the headers the widget needs to read it.
  const refusals = createRefusalLog(); // one for every widget path: an origin is reported once, whichever path it hit
  const cors = widgetCors(() => [...envOrigins, ...s.settings.get().allowedOrigins], { publicOrigin: deps.publicOrigin, refusals });
  // HEAD never runs a handler, bodies must be JSON (415): after CORS, so the widget can read the refusal
  const shape = apiRequestShape();
  const bodyLimit = createBodyLimit(LIMITS.bodyBytes);
  const session = sessionRoutes(s);
  const stream = streamRoutes(s);
  const typing = typingRoutes(s);
  const auth = authRoutes(s, { publicOrigin: deps.publicOrigin });
  const agentGuard = teamAuth({ store: deps.store, agentToken: deps.agentToken, limiter, publicOrigin: deps.publicOrigin });
  const groups: Record<GroupName, RouteKey[]> = {
    open: mountGroup(app, [cors, shape, bodyLimit], [session.open], true),
    visitor: mountGroup(app, [cors, shape, bodyLimit, visitorAuth(s.store)], [session.visitor, syncRoutes(s), messageRoutes(s), stream.visitor, typing.visitor], true),
    // each agent route declares its least role beside it (role('agent'|'admin'|'owner'), http/auth.ts)
    agent: mountGroup(app, [shape, bodyLimit, agentGuard], withDeclaredRoles([
      exportRoutes(s), eraseRoutes(s), mergeRoutes(s), contactRoutes(s), tagRoutes(s), customFieldRoutes(s), conversationRoutes(s), settingsRoutes(s), stream.agent, typing.agent,
      auth.session, agentRoutes(s, { publicOrigin: deps.publicOrigin }), activityRoutes(s), searchRoutes(s), webhookRoutes(s), ruleRoutes(s),
    ])),
    // no credentials by design; a foreign Origin is refused (login CSRF)
    signin: mountGroup(app, [shape, bodyLimit, async (c, next) => { checkOrigin(c, deps.publicOrigin, false); await next(); }], [auth.signin]),
    // pages and the demo login: no credentials by design
    public: mountGroup(app, [], [healthRoutes({ store: deps.store, bus: hub, health: deps.health ?? { draining: () => false } }), ...(deps.demo ?? true ? [demoRoutes(s)] : []), staticRoutes(deps.distDir ?? resolve(import.meta.dirname, '../../dist'), { siteConfig: () => s.store.read((r) => s.settings.publicConfig(r, DEFAULT_SITE)) })]),
  };

  // the CSV import's body is a file, not a JSON document: its own, larger limit (services/import-file.ts); who
  // calls is checked before what they send, so an anonymous caller learns nothing about the body rules
  groups.agent.push(...mountGroup(app, [agentGuard, role('admin'), shape, createBodyLimit(IMPORT_MAX_BYTES, `the file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB: split it into several imports`)], withDeclaredRoles([importRoutes(s)])));

  return Object.assign(app, { services: s, groups });
}
