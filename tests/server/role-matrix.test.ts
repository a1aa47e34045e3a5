// The role matrix (issue 11), generated from the route table: every agent route × owner / admin / agent / a
// disabled agent / no credentials. A route's least role is read from the role() declared beside it; a caller
// below it gets 403 (no credentials or a disabled account: 401) and the database is byte-for-byte unchanged;
// a caller at or above it gets past the check (never 401/403, never a 5xx).
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, declaredRoleOf } from '../../server-stub/src/http/auth.js';
import type { PgStore } from '../../server-stub/src/storage/pg-store.js';
import type { Role } from '../../server-stub/src/storage/store.js';
import { createClient } from './helpers/client.js';
import { addTeammate, setupOwner, storeSession } from './helpers/team.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const ORIGIN = 'http://localhost';
let t: TestApp;
let api: ReturnType<typeof createClient>;
let db: Database.Database;
const ids: Record<'owner' | 'admin' | 'agent' | 'disabled', string> = { owner: '', admin: '', agent: '', disabled: '' };
const fetcher = (p: string, i?: RequestInit) => t.app.request(p, i);

/** Every row of every table, hashed: "nothing changed" means this is equal. */
async function fingerprint(): Promise<string> {
  const h = createHash('sha256');
  const pg = (t.store as Partial<PgStore>).sql;
  if (pg) {
    // PostgreSQL (server-pg): every table's rows in a fixed order (a heap's physical order moves with updates)
    const tables = await pg`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
    for (const { tablename } of tables) h.update(tablename).update(JSON.stringify(await pg.unsafe(`SELECT x::text AS r FROM "${tablename}" x ORDER BY 1`)));
    return h.digest('hex');
  }
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  for (const { name } of tables) h.update(name).update(JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).raw().all()));
  return h.digest('hex');
}

/** The least role each agent route declares (undefined: none declared — the test fails on it). */
function declaredRoles(): Map<string, Role | undefined> {
  const out = new Map<string, Role | undefined>();
  for (const key of t.app.groups.agent) {
    const [method, path] = key.split(' ');
    const role = t.app.routes.filter((r) => r.method === method && r.path === path).map((r) => declaredRoleOf(r.handler)).find(Boolean);
    out.set(key, role);
  }
  return out;
}

/** Real ids for the route's parameters, made fresh for each route (an allowed DELETE may have removed the last ones). */
async function fixtures() {
  const visitor = await api.session();
  const sent = await api.sync(visitor.token, [{ type: 'message', text: 'hello' }]);
  const conversationId = sent.json.results[0].message.conversationId;
  const tag = `t${Math.random().toString(36).slice(2, 8)}`;
  expect((await api.agent('POST', '/v1/tags', { name: tag })).status).toBe(201);
  const field = await api.agent('POST', '/v1/custom-fields', { name: `F ${Math.random().toString(36).slice(2, 8)}`, type: 'text' });
  const target = await api.agent('POST', '/v1/agents', { name: 'Target', email: `target-${Math.random().toString(36).slice(2)}@example.com`, role: 'agent' });
  const token = await api.agent('POST', '/v1/api-tokens', { name: 'victim', role: 'agent' });
  return { contact: visitor.contact.id as string, conversationId, tag, field: field.json.key as string, agent: target.json.agent.id as string, token: token.json.id as string };
}

function concrete(path: string, f: Awaited<ReturnType<typeof fixtures>>): string {
  return path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, (_, name: string) => {
    if (name === 'tag' || name === 'name') return f.tag;
    if (name === 'key') return f.field;
    if (path.startsWith('/v1/contacts')) return f.contact;
    if (path.startsWith('/v1/conversations')) return f.conversationId;
    if (path.startsWith('/v1/agents')) return f.agent;
    if (path.startsWith('/v1/api-tokens')) return f.token;
    return 'x1';
  });
}

async function call(key: string, f: Awaited<ReturnType<typeof fixtures>>, cookie: string | null) {
  const [method, path] = key.split(' ');
  const unsafe = !['GET', 'HEAD'].includes(method);
  // the body type the route takes: the edge answers 415 to any other before auth runs (http/edge.ts NON_JSON)
  const res = await t.app.request(concrete(path, f), {
    method,
    headers: { origin: ORIGIN, ...(cookie ? { cookie: `chative_session=${cookie}` } : {}), ...(unsafe ? { 'content-type': path === '/v1/contacts/import' ? 'text/csv' : 'application/json' } : {}) },
    body: unsafe ? '{}' : undefined,
  });
  const text = res.headers.get('content-type')?.includes('event-stream') ? (await res.body?.cancel(), '') : await res.text();
  return { status: res.status, text };
}

beforeAll(async () => {
  t = await createTestApp();
  api = createClient(fetcher, t.agentToken);
  if (!('sql' in t.store)) db = new Database(join(t.dataDir, 'chative.sqlite'), { readonly: true });
  const { owner, ownerAgent } = await setupOwner(t.app, fetcher, ORIGIN);
  ids.owner = ownerAgent.id;
  ids.admin = (await addTeammate(owner, fetcher, ORIGIN, 'Ada Admin', 'admin@example.com', 'admin')).agent.id;
  ids.agent = (await addTeammate(owner, fetcher, ORIGIN, 'Aga Agent', 'agent@example.com', 'agent')).agent.id;
  ids.disabled = (await addTeammate(owner, fetcher, ORIGIN, 'Dee Disabled', 'gone@example.com', 'admin')).agent.id;
  expect((await owner.call('PATCH', `/v1/agents/${ids.disabled}`, { disabled: true })).status).toBe(200);
});
afterAll(async () => {
  db?.close();
  await t?.close();
});

describe('role matrix', () => {
  it('every agent route declares its least role beside it', () => {
    const roles = declaredRoles();
    expect(roles.size).toBeGreaterThan(30);
    const missing = [...roles].filter(([, r]) => !r).map(([k]) => k);
    expect(missing, 'routes without role(...) beside them').toEqual([]);
  });

  it('the roles follow CONTRACT §6: exactly these routes need more than the agent role (a change here is deliberate)', () => {
    const above = [...declaredRoles()].filter(([, r]) => r !== 'agent').map(([k, r]) => `${r} ${k}`).sort();
    expect(above).toEqual([
      'admin DELETE /v1/api-tokens/:id',
      'admin DELETE /v1/contacts/:id',
      'admin DELETE /v1/custom-fields/:key',
      'admin DELETE /v1/rules/:id',
      'admin DELETE /v1/segments/:id',
      'admin DELETE /v1/tags/:name',
      'admin DELETE /v1/webhooks/:id',
      'admin GET /v1/api-tokens',
      'admin GET /v1/contacts/:id/export',
      'admin GET /v1/contacts/export.csv',
      'admin GET /v1/imports/:jobId',
      'admin GET /v1/retention',
      'admin GET /v1/rules',
      'admin GET /v1/rules/:id',
      'admin GET /v1/rules/:id/runs',
      'admin GET /v1/settings',
      'admin GET /v1/webhooks',
      'admin GET /v1/webhooks/:id',
      'admin GET /v1/webhooks/:id/deliveries',
      'admin PATCH /v1/agents/:id',
      'admin PATCH /v1/custom-fields/:key',
      'admin PATCH /v1/rules/:id',
      'admin PATCH /v1/segments/:id',
      'admin PATCH /v1/settings',
      'admin PATCH /v1/tags/:name',
      'admin PATCH /v1/webhooks/:id',
      'admin POST /v1/agents',
      'admin POST /v1/agents/:id/invite',
      'admin POST /v1/api-tokens',
      'admin POST /v1/contacts/import',
      'admin POST /v1/custom-fields',
      'admin POST /v1/imports/:jobId/undo',
      'admin POST /v1/rules',
      'admin POST /v1/rules/:id/dry-run',
      'admin POST /v1/segments',
      'admin POST /v1/settings/secret/rotate',
      'admin POST /v1/tags',
      'admin POST /v1/webhooks',
      'admin POST /v1/webhooks/:id/deliveries/:deliveryId/redeliver',
      'admin POST /v1/webhooks/:id/rotate-secret',
    ]);
  });

  it('each route × owner / admin / agent / disabled / none: allowed past the check, or refused with nothing changed', async () => {
    const roles = declaredRoles();
    let cells = 0;
    for (const [key, needed] of roles) {
      if (!needed) continue;
      const f = await fixtures();
      const cookies = { disabled: await storeSession(t.store, ids.disabled), agent: await storeSession(t.store, ids.agent), admin: await storeSession(t.store, ids.admin), owner: await storeSession(t.store, ids.owner) };
      const before = await fingerprint();
      const refused: string[] = [];
      // refusals first, on untouched data: none, a disabled admin, then each role below the route's
      for (const [who, cookie] of [['none', null], ['disabled', cookies.disabled]] as const) {
        const r = await call(key, f, cookie);
        expect(r.status, `${key} as ${who}: ${r.text}`).toBe(401);
        refused.push(who);
        cells++;
      }
      for (const role of ['agent', 'admin', 'owner'] as const) {
        if (allows(role, needed)) continue;
        const r = await call(key, f, cookies[role]);
        expect(r.status, `${key} as ${role}: ${r.text}`).toBe(403);
        expect(JSON.parse(r.text).error.code).toBe('forbidden');
        refused.push(role);
        cells++;
      }
      expect(await fingerprint(), `${key}: a refused call (${refused.join(', ')}) changed the database`).toBe(before);
      for (const role of ['agent', 'admin', 'owner'] as const) {
        if (!allows(role, needed)) continue;
        const r = await call(key, f, cookies[role]);
        expect([401, 403], `${key} as ${role}: ${r.status} ${r.text}`).not.toContain(r.status);
        expect(r.status, `${key} as ${role}: ${r.text}`).toBeLessThan(500);
        cells++;
      }
    }
    // the size of the matrix, for the closing note (routes × 5 callers)
    console.log(`role matrix: ${roles.size} agent routes, ${cells} cells checked`);
    expect(cells).toBe(roles.size * 5);
  });
});
