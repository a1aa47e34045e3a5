// The durable delivery queue on an injected clock (no sleeps): retries with growing delays, a receiver down then
// up, the endpoint disabled with a notice after failing for 24 h, and a new sender (a restart) picking up the rest.
// Runs on SQLite and, in the server-pg project, on PostgreSQL (helpers/test-app.ts's openTestStore).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { newWebhookSecret } from '../../server-stub/src/domain/webhook-sign.js';
import { createChangeBus, Outbox, SYSTEM } from '../../server-stub/src/services/changes.js';
import { createWebhookService } from '../../server-stub/src/services/webhooks.js';
import type { Store } from '../../server-stub/src/storage/store.js';
import { openTestStore } from './helpers/test-app.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';

const HOUR = 3600_000;
let dir: string;
let store: Store;
let rx: Receiver;
let clock: number;
const now = () => clock;
let services: ReturnType<typeof createWebhookService>[];
let made = 0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chative-whq-'));
  store = await openTestStore(dir);
  rx = await startReceiver();
  clock = Date.parse('2026-03-01T10:00:00Z');
  services = [];
  await store.write((tx) => tx.insertWebhook({ id: 'wh_1', url: rx.url, events: ['contact.created'], enabled: true, secret: newWebhookSecret(), createdAt: new Date(clock).toISOString(), failingSince: null, disabledReason: null }));
});
afterEach(async () => {
  for (const s of services) await s.close();
  await store.close();
  await rx.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A sender as the app builds it, on the test clock; `created(n)` commits n contact.created changes. */
function sender() {
  const changes = createChangeBus();
  const s = createWebhookService({ store, changes, now, allowPrivate: true, log: () => undefined });
  services.push(s);
  return {
    s,
    async created(n: number) {
      // no kick: only pump() sends, so the test decides when an attempt happens
      await store.write(async (tx) => {
        for (let i = 0; i < n; i++) {
          const id = `ct_${++made}`;
          await tx.insertContact({ id, siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: new Date(clock).toISOString() });
          await changes.emit(tx, new Outbox(SYSTEM), [{ contactId: id, change: 'created' }]);
        }
      });
    },
  };
}
const log = () => store.read((r) => r.listDeliveries('wh_1', { limit: 100 }));

it('retries a failing delivery with growing delays and delivers it once the receiver is back', async () => {
  const { s, created } = sender();
  rx.set('down');
  await created(1);
  await s.pump();
  const gaps: number[] = [];
  let [d] = await log();
  expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503 });
  for (let i = 0; i < 4; i++) {
    const wait = Date.parse(d.nextAttemptAt!) - clock;
    gaps.push(wait);
    clock += wait - 1;
    await s.pump();
    expect(rx.received).toHaveLength(i + 1); // not due a millisecond early
    clock += 1;
    await s.pump();
    [d] = await log();
  }
  expect(gaps).toEqual([5_000, 30_000, 300_000, 1_800_000]);
  rx.set('up');
  clock = Date.parse(d.nextAttemptAt!);
  await s.pump();
  [d] = await log();
  expect(d).toMatchObject({ status: 'delivered', attempts: 6, lastStatus: 204, nextAttemptAt: null });
  expect(new Set(rx.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([d.id]));
  expect((await store.read((r) => r.getWebhook('wh_1')))!.failingSince).toBeNull();
});

it('keeps retrying for at least 24 h, then disables the endpoint with a notice; deliveries wait for it', async () => {
  const { s, created } = sender();
  rx.set('down');
  const start = clock;
  await created(1);
  await s.pump();
  const [{ id: first }] = await log();
  for (;;) {
    const d = (await log()).find((x) => x.id === first)!;
    if (d.status !== 'pending') break;
    clock = Date.parse(d.nextAttemptAt!);
    if ((await store.read((r) => r.getWebhook('wh_1')))!.enabled === false) break;
    await created(1); // traffic keeps coming while it fails
    await s.pump();
  }
  const w = (await store.read((r) => r.getWebhook('wh_1')))!;
  expect(w.enabled).toBe(false);
  expect(w.failingSince).toBe(new Date(start).toISOString());
  expect(w.disabledReason).toMatch(/^disabled after failing since 2026-03-01T10:00:00.000Z/);
  expect(clock - start).toBeGreaterThanOrEqual(24 * HOUR);
  const tries = rx.received.length;
  clock += 48 * HOUR;
  await s.pump();
  expect(rx.received).toHaveLength(tries); // a disabled endpoint gets nothing
  // enabled again by hand (the route clears the notice): everything pending goes out, each webhook-id once
  await store.write((tx) => tx.updateWebhook('wh_1', { enabled: true, failingSince: null, disabledReason: null }));
  rx.set('up');
  await s.pump();
  const pending = (await log()).filter((d) => d.status === 'pending');
  expect(pending).toEqual([]);
});

it('a delivery left by a sender that stopped (a restart) is sent by the next one; claims keep two senders from doubling', async () => {
  const a = sender();
  const b = sender();
  await a.created(40);
  await Promise.all([a.s.pump(), b.s.pump()]);
  expect(rx.received).toHaveLength(40);
  expect(rx.deliveredIds().size).toBe(40);
  // a claimed delivery whose sender died: due again once its claim lapses
  await a.created(1);
  const [d] = (await log()).filter((x) => x.status === 'pending');
  await store.write((tx) => tx.claimDelivery(d.id, d.nextAttemptAt!, new Date(clock + 30_000).toISOString()));
  await b.s.pump();
  expect(rx.received).toHaveLength(40);
  clock += 30_000;
  await b.s.pump();
  expect(rx.deliveredIds().has(d.id)).toBe(true);
  expect(rx.received).toHaveLength(41);
});
