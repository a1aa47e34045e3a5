// The outbox's retry clock: failures back off exponentially, but any acknowledged batch proves the
// server is reachable and starts the clock again, so a lost acknowledgement after an offline spell
// costs about a second, not the 30 s cap the spell had climbed to.
import 'fake-indexeddb/auto';
import { afterEach, expect, it, vi } from 'vitest';
import { createKv } from '../../../widget/src/storage/kv';
import { createOutbox } from '../../../widget/src/client/outbox';
import { WidgetError } from '../../../widget/src/client/http';
import type { OutboxEvent } from '../../../widget/src/contract/events';
import type { Bus } from '../../../widget/src/client/bus';

const noBus: Bus = { post: () => undefined, listen: () => undefined };
const msg = (i: number): OutboxEvent => ({ id: 'evt-b' + String(i).padStart(4, '0'), type: 'message', text: 'm' + i });

afterEach(() => vi.restoreAllMocks());

it('backs off 0.5 s, 1 s, … while failing, and restarts at 0.5 s after a batch was acknowledged', async () => {
  // random() = 0 → delay = base · 2^attempt · 0.5 with base 1 s
  const delays: number[] = [];
  const realSetTimeout = globalThis.setTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
    if (ms !== undefined && ms >= 500) delays.push(ms);
    return realSetTimeout(fn, ms === undefined || ms < 500 ? ms : 1); // run retries at once; keep the order
  }) as typeof setTimeout);
  // fail, fail, acknowledge batch 1, lose batch 2's answer (applied, then the connection dropped), acknowledge
  const script = ['fail', 'fail', 'ok', 'lost', 'ok'];
  const applied: string[] = [];
  const outbox = createOutbox({
    kv: createKv(), siteId: 'backoff', bus: noBus, random: () => 0,
    getToken: async () => 't', onResult: () => undefined, onContact: () => undefined, onUnauthorized: async () => undefined,
    client: {
      async sync(_t, events) {
        const step = script.shift() ?? 'ok';
        if (step === 'fail') throw new WidgetError(0, 'network_error', 'offline');
        const fresh = events.filter((e) => !applied.includes(e.id));
        applied.push(...fresh.map((e) => e.id));
        if (step === 'lost') throw new WidgetError(0, 'network_error', 'connection reset after commit');
        return { results: events.map((e) => ({ id: e.id, status: fresh.includes(e) ? 'applied' as const : 'duplicate' as const })) };
      },
    },
  });
  const all = Array.from({ length: 25 }, (_, i) => outbox.enqueue(msg(i)));
  const results = await Promise.all(all);
  expect(applied).toEqual(Array.from({ length: 25 }, (_, i) => msg(i).id)); // each once, in order
  // the batch whose answer was lost comes back as duplicates: stored once, settled all the same
  expect(results.filter((r) => r.status === 'duplicate').length).toBeGreaterThan(0);
  // two growing delays while offline, then the lost answer retries at the first step again
  expect(delays).toEqual([500, 1000, 500]);
});
