// The outbox over fake-indexeddb: stored before sending, ordered batches of ≤20, retried, never lost.
import 'fake-indexeddb/auto';
import { describe, it, expect, vi } from 'vitest';
import { createKv } from '../../../widget/src/storage/kv';
import { createOutbox, BATCH_SIZE } from '../../../widget/src/client/outbox';
import { WidgetError } from '../../../widget/src/client/http';
import type { OutboxEvent } from '../../../widget/src/contract/events';
import type { Bus } from '../../../widget/src/client/bus';
import type { SyncResult } from '../../../widget/src/contract/schemas';

const noBus: Bus = { post: () => undefined, listen: () => undefined };
let site = 0;

function setup(opts: { failFirst?: number; reject?: (e: OutboxEvent) => string | null; kv?: ReturnType<typeof createKv>; siteId?: string; offline?: () => boolean } = {}) {
  const kv = opts.kv || createKv();
  const siteId = opts.siteId || 's' + site++;
  const batches: OutboxEvent[][] = [];
  const applied = new Set<string>();
  let failures = opts.failFirst || 0;
  const outbox = createOutbox({
    kv, siteId, bus: noBus,
    random: () => 0,
    getToken: async () => 't',
    onResult: () => undefined,
    onContact: () => undefined,
    onUnauthorized: async () => undefined,
    client: {
      async sync(_token, events) {
        if (opts.offline?.() || failures-- > 0) throw new WidgetError(0, 'network_error', 'offline');
        batches.push(events);
        const results: SyncResult[] = events.map((e) => {
          const code = opts.reject?.(e);
          if (code) return { id: e.id, status: 'rejected', error: { code, message: 'nope' } };
          const status = applied.has(e.id) ? 'duplicate' : 'applied';
          applied.add(e.id);
          return { id: e.id, status };
        });
        return { results };
      },
    },
  });
  return { kv, siteId, outbox, batches, applied };
}

const msg = (i: number): OutboxEvent => ({ id: 'evt-' + String(i).padStart(4, '0'), type: 'message', text: 'm' + i });

describe('outbox', () => {
  it('sends every event once, in order, in batches of at most 20', async () => {
    const { outbox, batches } = setup();
    const all = await Promise.all(Array.from({ length: 45 }, (_, i) => outbox.enqueue(msg(i))));
    expect(all.every((r) => r.status === 'applied')).toBe(true);
    const sent = batches.flat().map((e) => e.id);
    expect(sent).toEqual(Array.from({ length: 45 }, (_, i) => msg(i).id));
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(BATCH_SIZE);
    expect(await outbox.pending()).toEqual([]);
  });

  it('writes the event to storage before it is sent', async () => {
    let online = false;
    const { outbox, kv, siteId } = setup({ offline: () => !online });
    outbox.enqueue(msg(1)).catch(() => undefined); // offline: never sent, and stop() settles it
    await vi.waitFor(async () => expect(await kv.get(siteId + ':outbox')).toEqual([msg(1)]));
    outbox.stop();
  });

  it('a rejected event rejects its promise with the server code; later events still go', async () => {
    const { outbox } = setup({ reject: (e) => (e.type === 'identify' ? 'identity_verification_failed' : null) });
    const bad = outbox.enqueue({ id: 'evt-identify-1', type: 'identify', customerId: 'u1', userHash: 'x' });
    const good = outbox.enqueue(msg(2));
    await expect(bad).rejects.toMatchObject({ code: 'identity_verification_failed' });
    await expect(good).resolves.toMatchObject({ status: 'applied' });
  });

  it('retries after network failures and delivers exactly once', async () => {
    const { outbox, batches } = setup({ failFirst: 2 });
    const r = await outbox.enqueue(msg(7));
    expect(r.status).toBe('applied');
    expect(batches.flat().map((e) => e.id)).toEqual([msg(7).id]);
  }, 10_000);

  it('survives a reload: a new outbox on the same storage sends what the old one could not', async () => {
    let online = false;
    const first = setup({ offline: () => !online });
    for (let i = 0; i < 5; i++) first.outbox.enqueue(msg(i)).catch(() => undefined);
    await vi.waitFor(async () => expect(await first.outbox.pending()).toHaveLength(5)); // all five in storage
    first.outbox.stop();
    online = true;
    const second = setup({ kv: first.kv, siteId: first.siteId });
    expect((await second.outbox.pending()).map((e) => e.id)).toEqual([0, 1, 2, 3, 4].map((i) => msg(i).id));
    await second.outbox.flush();
    expect(second.batches.flat().map((e) => e.id)).toEqual([0, 1, 2, 3, 4].map((i) => msg(i).id));
    expect(await second.outbox.pending()).toEqual([]);
  });

  it('falls back to memory silently when IndexedDB is unavailable', async () => {
    expect(createKv(null).persistent).toBe(false);
    const real = globalThis.indexedDB;
    // A blocked storage partition: opening the database throws.
    globalThis.indexedDB = { open() { throw new DOMException('blocked', 'SecurityError'); } } as unknown as IDBFactory;
    try {
      const kv = createKv();
      const { outbox } = setup({ kv });
      await expect(outbox.enqueue(msg(1))).resolves.toMatchObject({ status: 'applied' });
      expect(kv.persistent).toBe(false); // the first refused call switched to memory, silently
    } finally {
      globalThis.indexedDB = real;
    }
  });
});
