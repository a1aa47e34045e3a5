// The sync hot path's shortcuts stay exact: the token and contact caches follow every write and rollback,
// the checkpoint thread keeps the log bounded without losing a row.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../server-stub/src/services/group-commit.js';
import { hashToken } from '../../server-stub/src/services/ids.js';
import { createSqliteStore } from '../../server-stub/src/storage/sqlite-store.js';
import type { Store } from '../../server-stub/src/storage/store.js';
import { createClient } from './helpers/client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chative-hot-'));
  store = createSqliteStore(join(dir, 'chative.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const contact = (id: string) => store.insertContact({ id, siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: '2026-01-01T00:00:00.000Z' });

describe('token cache', () => {
  it('a revoked token is refused on the very next lookup, by hash and by id', () => {
    store.transaction(() => contact('ct_a'));
    const id = store.transaction(() => store.createToken({ hash: hashToken('tok-a'), siteId: 'default', contactId: 'ct_a' }));
    expect(store.findToken(hashToken('tok-a'))).toMatchObject({ id, revoked: false });
    expect(store.findTokenById(id)).toMatchObject({ revoked: false });
    store.transaction(() => store.revokeToken(id));
    expect(store.findToken(hashToken('tok-a'))?.revoked).toBe(true);
    expect(store.findTokenById(id)?.revoked).toBe(true);
  });

  it('a merge that rolls back leaves the token on its first contact, even if read inside the transaction', () => {
    store.transaction(() => { contact('ct_a'); contact('ct_b'); });
    const id = store.transaction(() => store.createToken({ hash: hashToken('tok-a'), siteId: 'default', contactId: 'ct_a' }));
    expect(store.findTokenById(id)?.contactId).toBe('ct_a');
    expect(() => store.transaction(() => {
      store.repointTokens('ct_a', 'ct_b');
      expect(store.findTokenById(id)?.contactId).toBe('ct_b');
      expect(store.findToken(hashToken('tok-a'))?.contactId).toBe('ct_b');
      throw new Error('abort');
    })).toThrow('abort');
    expect(store.findTokenById(id)?.contactId).toBe('ct_a');
    expect(store.findToken(hashToken('tok-a'))?.contactId).toBe('ct_a');
    store.transaction(() => store.repointTokens('ct_a', 'ct_b'));
    expect(store.findTokenById(id)?.contactId).toBe('ct_b');
  });

  it('an unknown hash is not remembered: a token created afterwards is found', () => {
    store.transaction(() => contact('ct_a'));
    expect(store.findToken(hashToken('later'))).toBeUndefined();
    store.transaction(() => store.createToken({ hash: hashToken('later'), siteId: 'default', contactId: 'ct_a' }));
    expect(store.findToken(hashToken('later'))?.contactId).toBe('ct_a');
  });
});

describe('contact cache', () => {
  it('every write shows in the next read; a rolled-back write does not', () => {
    store.transaction(() => contact('ct_a'));
    store.createField({ key: 'plan', name: 'Plan', type: 'text', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(store.getContact('ct_a')).toMatchObject({ name: null, custom: {}, tags: [] });
    store.transaction(() => store.updateContact('ct_a', { name: 'Ada', lastSeenAt: '2026-02-01T00:00:00.000Z', verified: true }));
    expect(store.getContact('ct_a')).toMatchObject({ name: 'Ada', lastSeenAt: '2026-02-01T00:00:00.000Z', verified: true });
    store.transaction(() => store.setValues('ct_a', { plan: 'pro' }));
    expect(store.getContact('ct_a')?.custom).toEqual({ plan: 'pro' });
    const tag = store.transaction(() => store.createTag('VIP', '2026-01-01T00:00:00.000Z'));
    store.transaction(() => store.attachTag('ct_a', tag.id));
    expect(store.getContact('ct_a')?.tags).toEqual(['VIP']);
    store.transaction(() => store.renameTag(tag.id, 'Gold'));
    expect(store.getContact('ct_a')?.tags).toEqual(['Gold']);
    store.transaction(() => store.detachTag('ct_a', tag.id));
    expect(store.getContact('ct_a')?.tags).toEqual([]);
    store.transaction(() => store.deleteField('plan'));
    expect(store.getContact('ct_a')?.custom).toEqual({});
    expect(() => store.transaction(() => {
      store.updateContact('ct_a', { name: 'Mallory', mergedInto: 'ct_x' });
      expect(store.getContact('ct_a')?.name).toBe('Mallory');
      throw new Error('abort');
    })).toThrow('abort');
    expect(store.getContact('ct_a')).toMatchObject({ name: 'Ada', mergedInto: null });
    expect(store.getContactBrief('ct_a')).toEqual({ id: 'ct_a', siteId: 'default', mergedInto: null });
  });

  it('a caller changing its copy changes nothing for the next caller', () => {
    store.transaction(() => contact('ct_a'));
    const c = store.getContact('ct_a')!;
    c.name = 'changed';
    c.tags.push('x');
    c.custom.plan = 'x';
    expect(store.getContact('ct_a')).toMatchObject({ name: null, tags: [], custom: {} });
  });
});

describe('checkpoint thread', () => {
  it('copies the log into the database file off the main thread; every row survives a reopen', async () => {
    const file = join(dir, 'chative.sqlite');
    const before = statSync(file).size;
    const text = 'x'.repeat(2000);
    // well past the commits after which the thread takes over from SQLite's in-commit checkpoints
    for (let i = 0; i < 400; i++) store.transaction(() => store.saveEventResult('s', `event-${i}`, JSON.stringify({ i, text })));
    // only the thread writes the database file now (the main connection's automatic checkpoints are off)
    await expect.poll(() => statSync(file).size, { timeout: 10_000 }).toBeGreaterThan(before + 400 * 1000);
    store.close();
    const db = new Database(file, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM processed_events').get() as { n: number }).n).toBe(400);
    db.close();
    store = createSqliteStore(file);
    expect(store.getEventResult('s', 'event-399')).toContain('"i":399');
  });

  it('under a steady stream of group commits the log stays bounded: long logs get one complete pass, then restart', async () => {
    const wal = join(dir, 'chative.sqlite-wal');
    // the log header's checkpoint sequence number grows by one each time a writer restarts the log
    const restarts = () => readFileSync(wal).readUInt32BE(12);
    const gc = createGroupCommit(store);
    const text = 'y'.repeat(3000);
    const start = restarts();
    let peak = 0;
    // ~12 MB through the log, every commit waiting for its real fdatasync as under load
    for (let round = 0; round < 800; round++) {
      await Promise.all(Array.from({ length: 5 }, (_, j) => gc.run([() => store.transaction(() => store.saveEventResult('s', `e-${round}-${j}`, text))])));
      peak = Math.max(peak, statSync(wal).size);
    }
    expect(restarts()).toBeGreaterThan(start + 1);
    // about SQLite's own 1,000-page threshold plus a commit, never the whole stream
    expect(peak).toBeLessThan(8_000_000);
    expect(store.getEventResult('s', 'e-799-4')).toBe(text);
    expect(store.getEventResult('s', 'e-0-0')).toBe(text);
  }, 60_000);
});

describe('POST /v1/sync through the caches', () => {
  let t: TestApp;
  let api: ReturnType<typeof createClient>;
  beforeEach(() => {
    t = createTestApp();
    api = createClient((p, i) => t.app.request(p, i), t.agentToken);
  });
  afterEach(() => t.close());

  it('answers the contact as stored, follows an agent edit, and refuses the token right after logout', async () => {
    const s = await api.session();
    const send = (id: string) => api.call('POST', '/v1/sync', { events: [{ id, type: 'message', text: 'hi' }] }, s.token);
    const first = await send('msg-00001');
    expect(first.status).toBe(200);
    expect(first.json.contact.lastSeenAt).toBe(first.json.results[0].message.createdAt);
    const patched = await api.call('PATCH', `/v1/contacts/${s.contact.id}`, { name: 'Grace Hopper' }, t.agentToken);
    expect(patched.status).toBe(200);
    const second = await send('msg-00002');
    expect(second.json.contact).toMatchObject({ name: 'Grace Hopper', lastSeenAt: second.json.results[0].message.createdAt });
    expect((await api.call('DELETE', '/v1/session', undefined, s.token)).status).toBe(204);
    const after = await send('msg-00003');
    expect(after.status).toBe(401);
    expect(t.store.getEventResult(`t:${t.store.findToken(hashToken(s.token))!.id}`, 'msg-00003')).toBeUndefined();
  });
});
