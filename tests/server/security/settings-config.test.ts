// Issue 15, High 2 and 3: configuration is checked at start by the stored settings' own schema (a clear refusal,
// never silent defaults), a change spanning settings and fields is all or nothing, and a secret rotation is never
// silently undone by a restart (the environment pins the secret; without it, rotation survives restarts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { userHashFor } from '../../../server-stub/src/domain/identity.js';
import { ConfigError } from '../../../server-stub/src/services/settings.js';
import { createTestApp } from '../helpers/test-app.js';
import { createClient } from '../helpers/client.js';
import { injectFault } from '../helpers/store-faults.js';
import { peekDb } from '../helpers/db-peek.js';
import { databaseOfDir, startServer, type RunningServer } from '../helpers/spawn-server.js';
import { realClient } from './lib/real-client.js';

const dirs: string[] = [];
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.kill('SIGKILL')));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'chative-cfg-'));
  dirs.push(d);
  return d;
};
const start = async (opts: Parameters<typeof startServer>[0]) => {
  const s = await startServer(opts);
  servers.push(s);
  return s;
};
/** Starting must fail: answers what the process printed. */
const refusedStart = async (opts: Parameters<typeof startServer>[0]) => {
  const err = await startServer(opts).then(
    (s) => {
      servers.push(s);
      return null;
    },
    (e: Error) => e,
  );
  expect(err, 'the server started').not.toBeNull();
  return err!.message;
};
// the database the servers of dataDir ran on, whichever engine (server-pg: PostgreSQL)
const settingsRow = async (dataDir: string) => {
  const db = peekDb({ dataDir, databaseUrl: databaseOfDir(dataDir) });
  try {
    return (await db.all("SELECT json FROM settings WHERE site_id = 'default'"))[0]?.json as string | undefined;
  } finally {
    await db.close();
  }
};
const writeSettingsRow = async (dataDir: string, json: string) => {
  const db = peekDb({ dataDir, databaseUrl: databaseOfDir(dataDir) });
  await db.all("UPDATE settings SET json = ? WHERE site_id = 'default'", [json]);
  await db.close();
};

it('a site secret shorter than 16 characters stops the start with a clear message naming it', async () => {
  const out = await refusedStart({ env: { CHATIVE_SITE_SECRET: 'short-secret' } });
  expect(out).toMatch(/exited \(1\)/);
  expect(out).toContain('Chative cannot start: CHATIVE_SITE_SECRET is not usable (12 characters)');
  expect(out).not.toMatch(/\n\s+at /); // one line, no stack trace
  // the same rule guards apps built in-process
  const dir = tempDir();
  await expect(createTestApp({ dataDir: dir, siteSecret: 'x'.repeat(15) })).rejects.toThrow(ConfigError);
});

it('an unreadable or invalid stored settings row stops the start and is never replaced by defaults', async () => {
  const dataDir = tempDir();
  const first = await start({ dataDir, env: { CHATIVE_SITE_SECRET: '' } });
  await realClient(first.url, first.agentToken).agent('PATCH', '/v1/settings', { allowedOrigins: ['https://shop.example'], greeting: 'Kept greeting' });
  await first.stop();
  const good = (await settingsRow(dataDir))!;
  for (const [label, broken, expected] of [
    ['invalid', JSON.stringify({ ...JSON.parse(good), color: 'red' }), /stored settings of site "default" \(table settings\) are invalid: color: expected a colour/],
    ['short secret', JSON.stringify({ ...JSON.parse(good), secret: 'abc' }), /are invalid: secret:/],
    ['not JSON', good.slice(0, 20), /are not valid JSON/],
  ] as const) {
    await writeSettingsRow(dataDir, broken);
    const out = await refusedStart({ dataDir, env: { CHATIVE_SITE_SECRET: '' } });
    expect(out, label).toMatch(expected);
    expect(await settingsRow(dataDir), label).toBe(broken);
  }
  await writeSettingsRow(dataDir, good);
  const back = await start({ dataDir, env: { CHATIVE_SITE_SECRET: '' } });
  const s = (await realClient(back.url, back.agentToken).agent('GET', '/v1/settings')).json;
  expect(s).toMatchObject({ greeting: 'Kept greeting', allowedOrigins: ['https://shop.example'], secretSource: 'settings' });
});

it('a failed settings write leaves the custom field untouched too (one transaction, cache follows the row)', async () => {
  const t = await createTestApp();
  try {
    const api = createClient((p, i) => t.app.request(p, i), t.agentToken);
    expect((await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text', inForm: true, required: true })).status).toBe(201);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const restore = injectFault(t.store, 'saveSettingsJson', () => Promise.reject(new Error('disk went away')));
    const before = (await api.agent('GET', '/v1/settings')).json;
    const created = await api.agent('POST', '/v1/custom-fields', { name: 'Seats', type: 'number', inForm: true });
    expect(created.status).toBe(500);
    const removed = await api.agent('DELETE', '/v1/custom-fields/plan');
    expect(removed.status).toBe(500);
    restore();
    expect(logged.mock.calls.map((c) => String(c[3])).every((m) => m.includes('disk went away'))).toBe(true);
    logged.mockRestore();
    const keys = (await api.agent('GET', '/v1/custom-fields')).json.items.map((f: any) => f.key);
    expect(keys).toEqual(['plan']);
    expect((await api.agent('GET', '/v1/settings')).json).toEqual(before);
    expect(JSON.parse((await t.store.read((r) => r.getSettingsJson('default')))!).form).toEqual(before.form);
  } finally {
    await t.close();
  }
});

it('without CHATIVE_SITE_SECRET a rotation survives a real restart: the new secret works, the old one stays refused', async () => {
  const dataDir = tempDir();
  const a = await start({ dataDir, env: { CHATIVE_SITE_SECRET: '' } });
  const api = realClient(a.url, a.agentToken);
  const old = a.secret;
  const rotated = await api.agent('POST', '/v1/settings/secret/rotate');
  expect(rotated.status).toBe(200);
  const fresh = rotated.json.secret as string;
  expect(fresh).not.toBe(old);
  await a.stop();
  const b = await start({ dataDir, env: { CHATIVE_SITE_SECRET: '' } });
  const api2 = realClient(b.url, b.agentToken);
  expect((await api2.agent('GET', '/v1/settings')).json).toMatchObject({ secret: fresh, secretSource: 'settings' });
  const v = await api2.session();
  expect((await api2.sync(v.token, [{ type: 'identify', customerId: 'c-1', userHash: userHashFor(old, 'c-1') }])).json.results[0].status).toBe('rejected');
  expect((await api2.sync(v.token, [{ type: 'identify', customerId: 'c-1', userHash: userHashFor(fresh, 'c-1') }])).json.results[0].status).toBe('applied');
});

it('with CHATIVE_SITE_SECRET the environment pins the secret: rotation is a 409 that says so, and a restart keeps it', async () => {
  const dataDir = tempDir();
  const env = { CHATIVE_SITE_SECRET: 'pinned-secret-0123456789abcdef' };
  const a = await start({ dataDir, env });
  const api = realClient(a.url, a.agentToken);
  expect((await api.agent('GET', '/v1/settings')).json.secretSource).toBe('environment');
  const r = await api.agent('POST', '/v1/settings/secret/rotate');
  expect(r.status).toBe(409);
  expect(r.json.error.code).toBe('secret_managed_by_env');
  expect(r.json.error.message).toContain('CHATIVE_SITE_SECRET');
  await a.stop();
  const b = await start({ dataDir, env });
  const api2 = realClient(b.url, b.agentToken);
  const v = await api2.session();
  expect((await api2.sync(v.token, [{ type: 'identify', customerId: 'c-2', userHash: userHashFor(env.CHATIVE_SITE_SECRET, 'c-2') }])).json.results[0].status).toBe('applied');
});
