// What the PostgreSQL store puts on the wire: a write unit's BEGIN leaves with its first statements (postgres.js's
// begin() waited for BEGIN alone: one round trip more per unit), counted by a loopback proxy that sees every write the
// store makes; and a store opened on a Unix socket (libpq's `?host=/dir`) really uses it.
import { afterEach, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPgStore, type PgStore } from '../../server-stub/src/storage/pg-store.js';
import { startServer } from './helpers/spawn-server.js';
import { openPgStore, pgDatabaseUrl, pgSkip } from './helpers/pg.js';
import { pgProxy } from './helpers/pg-proxy.js';

const AT = '2026-03-01T10:00:00.000Z';
const opened: PgStore[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  closers.splice(0).forEach((c) => c());
});

/**
 * A TCP proxy in front of PostgreSQL counting the client's writes: postgres.js writes once per turn (it buffers what
 * a turn issues), and a client that waits for an answer writes again only after it, so writes = round trips.
 */
async function countingProxy(target: URL): Promise<{ url: string; writes: () => number; reset: () => void }> {
  let writes = 0;
  const url = await pgProxy(target, () => { writes++; }, closers);
  return { url, writes: () => writes, reset: () => { writes = 0; } };
}

describe.skipIf(pgSkip)(`PostgreSQL on the wire${pgSkip ? ' — skipped: PostgreSQL is not installed' : ''}`, () => {
  it('a write unit sends BEGIN with its first statements: a one-read unit is two round trips (reads, COMMIT)', async () => {
    opened.push(await openPgStore());
    const proxy = await countingProxy(new URL(await pgDatabaseUrl()));
    const store = await createPgStore(proxy.url, { poolSize: 1 });
    opened.push(store);
    await store.write((tx) => tx.insertContact({ id: 'ct_1', siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: AT }));
    // the first run prepares the statements (a Describe round trip each): count the second
    const unit = () => store.write(async (tx) => (await tx.getContactBrief('ct_1'))?.id);
    expect(await unit()).toBe('ct_1');
    proxy.reset();
    expect(await unit()).toBe('ct_1');
    expect(proxy.writes()).toBe(2);
    // a savepoint adds none: SAVEPOINT and RELEASE go with the statements around them
    const withSavepoint = () => store.write(async (tx) => tx.savepoint(async (sp) => (await sp.getContactBrief('ct_1'))?.id));
    expect(await withSavepoint()).toBe('ct_1');
    proxy.reset();
    expect(await withSavepoint()).toBe('ct_1');
    expect(proxy.writes()).toBe(2);
  });

  it('a unit rolled back inside a savepoint it caught still commits the rest; a failure outside one never commits', async () => {
    const store = await openPgStore();
    opened.push(store);
    await store.write((tx) => tx.saveEventResult('t:1', 'ev', '{}'));
    // the pipelined SAVEPOINT / ROLLBACK TO keep the unit's other work
    await store.write(async (tx) => {
      await tx.insertContact({ id: 'ct_kept', siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: AT });
      await expect(tx.savepoint((sp) => sp.saveEventResult('t:1', 'ev', '{}'))).rejects.toThrow(/duplicate key/);
      await tx.savepoint((sp) => sp.saveEventResult('t:1', 'ev2', '{}'));
    });
    expect(await store.read((r) => r.getContact('ct_kept'))).toBeDefined();
    expect(await store.read((r) => r.getEventResult('t:1', 'ev2'))).toBe('{}');
    // BEGIN is not awaited alone: the failed statement's unit must still reject and leave nothing behind
    await expect(store.write(async (tx) => {
      await tx.insertContact({ id: 'ct_lost', siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: AT });
      void tx.saveEventResult('t:1', 'ev', '{}').catch(() => undefined);
      return 'acknowledged';
    })).rejects.toThrow(/duplicate key/);
    expect(await store.read((r) => r.getContact('ct_lost'))).toBeUndefined();
    // and its connection went back to the pool in a usable state
    expect(await store.write(async (tx) => (await tx.getContactBrief('ct_kept'))?.id)).toBe('ct_kept');
  });

  it('a DATABASE_URL naming a socket directory (libpq form) connects over the Unix socket', async () => {
    const tcp = new URL(await pgDatabaseUrl());
    const admin = postgres(tcp.toString(), { max: 1, onnotice: () => {} });
    const [{ dirs }] = await admin`SELECT current_setting('unix_socket_directories') AS dirs`;
    await admin.end();
    const dir = String(dirs).split(',')[0].trim();
    const socketUrl = `postgres://${tcp.username}@/${tcp.pathname.slice(1)}?host=${dir}&port=${tcp.port}`;
    const store = await createPgStore(socketUrl, { poolSize: 1 });
    opened.push(store);
    // a Unix-socket client has no address
    const [{ addr }] = await store.sql`SELECT inet_client_addr() AS addr`;
    expect(addr).toBeNull();
    await store.write((tx) => tx.insertContact({ id: 'ct_sock', siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: AT }));
    expect((await store.read((r) => r.getContactBrief('ct_sock')))?.id).toBe('ct_sock');
    // the server itself starts on it and says so without the password
    const srv = await startServer({ env: { DATABASE_URL: socketUrl, CHATIVE_RATE_LIMIT: '0' }, timeoutMs: 30_000 });
    try {
      const r = await fetch(`${srv.url}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ siteId: 'default', timezone: 'UTC', locale: 'en' }) });
      expect(r.status).toBe(201);
    } finally {
      await srv.stop();
    }
  });
});
