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
import type { Reader, Store, Tx } from '../../server-stub/src/storage/store.js';
import { createClient } from './helpers/client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chative-hot-'));
  store = createSqliteStore(join(dir, 'chative.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const read = <T>(fn: (r: Reader) => Promise<T>) => store.read(fn);
const write = <T>(fn: (tx: Tx) => Promise<T>) => store.write(fn);
const contact = (tx: Tx, id: string) => tx.insertContact({ id, siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: '2026-01-01T00:00:00.000Z' });

describe('token cache', () => {
  it('a revoked token is refused on the very next lookup, by hash and by id', async () => {
    await write((tx) => contact(tx, 'ct_a'));
    const id = await write((tx) => tx.createToken({ hash: hashToken('tok-a'), siteId: 'default', contactId: 'ct_a' }));
    expect(await read((r) => r.findToken(hashToken('tok-a')))).toMatchObject({ id, revoked: false });
    expect(await read((r) => r.findTokenById(id))).toMatchObject({ revoked: false });
    await write((tx) => tx.revokeToken(id));
    expect((await read((r) => r.findToken(hashToken('tok-a'))))?.revoked).toBe(true);
    expect((await read((r) => r.findTokenById(id)))?.revoked).toBe(true);
  });

  it('a merge that rolls back leaves the token on its first contact, even if read inside the transaction', async () => {
    await write(async (tx) => { await contact(tx, 'ct_a'); await contact(tx, 'ct_b'); });
    const id = await write((tx) => tx.createToken({ hash: hashToken('tok-a'), siteId: 'default', contactId: 'ct_a' }));
    expect((await read((r) => r.findTokenById(id)))?.contactId).toBe('ct_a');
    await expect(write(async (tx) => {
      await tx.repointTokens('ct_a', 'ct_b');
      expect((await tx.findTokenById(id))?.contactId).toBe('ct_b');
      expect((await tx.findToken(hashToken('tok-a')))?.contactId).toBe('ct_b');
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect((await read((r) => r.findTokenById(id)))?.contactId).toBe('ct_a');
    expect((await read((r) => r.findToken(hashToken('tok-a'))))?.contactId).toBe('ct_a');
    await write((tx) => tx.repointTokens('ct_a', 'ct_b'));
    expect((await read((r) => r.findTokenById(id)))?.contactId).toBe('ct_b');
  });

  it('an unknown hash is not remembered: a token created afterwards is found', async () => {
    await write((tx) => contact(tx, 'ct_a'));
    expect(await read((r) => r.findToken(hashToken('later')))).toBeUndefined();
    await write((tx) => tx.createToken({ hash: hashToken('later'), siteId: 'default', contactId: 'ct_a' }));
    expect((await read((r) => r.findToken(hashToken('later'))))?.contactId).toBe('ct_a');
  });
});

describe('contact cache', () => {
  it('every write shows in the next read; a rolled-back write does not', async () => {
    const get = (id: string) => read((r) => r.getContact(id));
    await write((tx) => contact(tx, 'ct_a'));
    await write((tx) => tx.createField({ key: 'plan', name: 'Plan', type: 'text', createdAt: '2026-01-01T00:00:00.000Z' }));
    expect(await get('ct_a')).toMatchObject({ name: null, custom: {}, tags: [] });
    await write((tx) => tx.updateContact('ct_a', { name: 'Ada', lastSeenAt: '2026-02-01T00:00:00.000Z', verified: true }));
    expect(await get('ct_a')).toMatchObject({ name: 'Ada', lastSeenAt: '2026-02-01T00:00:00.000Z', verified: true });
    await write((tx) => tx.setValues('ct_a', { plan: 'pro' }));
    expect((await get('ct_a'))?.custom).toEqual({ plan: 'pro' });
    const tag = await write((tx) => tx.createTag('VIP', '2026-01-01T00:00:00.000Z'));
    await write((tx) => tx.attachTag('ct_a', tag.id));
    expect((await get('ct_a'))?.tags).toEqual(['VIP']);
    await write((tx) => tx.renameTag(tag.id, 'Gold'));
    expect((await get('ct_a'))?.tags).toEqual(['Gold']);
    await write((tx) => tx.detachTag('ct_a', tag.id));
    expect((await get('ct_a'))?.tags).toEqual([]);
    await write((tx) => tx.deleteField('plan'));
    expect((await get('ct_a'))?.custom).toEqual({});
    await expect(write(async (tx) => {
      await tx.updateContact('ct_a', { name: 'Mallory', mergedInto: 'ct_x' });
      expect((await tx.getContact('ct_a'))?.name).toBe('Mallory');
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(await get('ct_a')).toMatchObject({ name: 'Ada', mergedInto: null });
    expect(await read((r) => r.getContactBrief('ct_a'))).toEqual({ id: 'ct_a', siteId: 'default', mergedInto: null });
  });

  it('a rolled-back savepoint drops what it cached; the rest of its transaction commits', async () => {
    await write((tx) => contact(tx, 'ct_a'));
    await write(async (tx) => {
      await tx.updateContact('ct_a', { name: 'Ada' });
      await expect(tx.savepoint(async (sp) => {
        await sp.updateContact('ct_a', { name: 'Mallory' });
        expect((await sp.getContact('ct_a'))?.name).toBe('Mallory');
        throw new Error('abort');
      })).rejects.toThrow('abort');
      expect((await tx.getContact('ct_a'))?.name).toBe('Ada');
    });
    expect((await read((r) => r.getContact('ct_a')))?.name).toBe('Ada');
  });

  it('a caller changing its copy changes nothing for the next caller', async () => {
    await write((tx) => contact(tx, 'ct_a'));
    const c = (await read((r) => r.getContact('ct_a')))!;
    c.name = 'changed';
    c.tags.push('x');
    c.custom.plan = 'x';
    expect(await read((r) => r.getContact('ct_a'))).toMatchObject({ name: null, tags: [], custom: {} });
  });
});

describe('checkpoint thread', () => {
  it('copies the log into the database file off the main thread; every row survives a reopen', async () => {
    const file = join(dir, 'chative.sqlite');
    const before = statSync(file).size;
    const text = 'x'.repeat(2000);
    // well past the commits after which the thread takes over from SQLite's in-commit checkpoints
    for (let i = 0; i < 400; i++) await write((tx) => tx.saveEventResult('s', `event-${i}`, JSON.stringify({ i, text })));
    // only the thread writes the database file now (the main connection's automatic checkpoints are off)
    await expect.poll(() => statSync(file).size, { timeout: 10_000 }).toBeGreaterThan(before + 400 * 1000);
    await store.close();
    const db = new Database(file, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM processed_events').get() as { n: number }).n).toBe(400);
    db.close();
    store = createSqliteStore(file);
    expect(await read((r) => r.getEventResult('s', 'event-399'))).toContain('"i":399');
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
      await Promise.all(Array.from({ length: 5 }, (_, j) => gc.run([(tx) => tx.savepoint((sp) => sp.saveEventResult('s', `e-${round}-${j}`, text))])));
      peak = Math.max(peak, statSync(wal).size);
    }
    expect(restarts()).toBeGreaterThan(start + 1);
    // about SQLite's own 1,000-page threshold plus a commit, never the whole stream
    expect(peak).toBeLessThan(8_000_000);
    expect(await read((r) => r.getEventResult('s', 'e-799-4'))).toBe(text);
    expect(await read((r) => r.getEventResult('s', 'e-0-0'))).toBe(text);
  }, 60_000);
});

describe('POST /v1/sync through the caches', () => {
  let t: TestApp;
  let api: ReturnType<typeof createClient>;
  beforeEach(async () => {
    t = await createTestApp();
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
    expect(await t.store.read(async (r) => r.getEventResult(`t:${(await r.findToken(hashToken(s.token)))!.id}`, 'msg-00003'))).toBeUndefined();
  });
});
