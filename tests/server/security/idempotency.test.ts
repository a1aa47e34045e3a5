// Item 12: each event replayed 1–5 times, in sequence and concurrently: one row each, and every replay
// gets the original answer (status "duplicate", same message / error).
import { expect, it } from 'vitest';
import { userHashFor } from '../../../server-stub/src/domain/identity.js';
import { queryDb } from './lib/db-snapshot.js';
import { createHarness } from './lib/in-process.js';

it('12. replays (sequential, concurrent, inside one batch) apply once and answer the original result', async () => {
  const h = await createHarness();
  try {
    await h.api.agent('POST', '/v1/custom-fields', { name: 'Seats', type: 'number' });
    const kinds = (i: number, secret: string): Record<string, unknown> => {
      switch (i % 6) {
        case 0: return { type: 'message', text: `idem message ${i}` };
        case 1: return { type: 'update', name: `Name ${i}`, custom: { seats: i } };
        case 2: return { type: 'lead', name: `Lead ${i}`, email: `lead${i}@example.com` };
        case 3: return { type: 'identify', customerId: `idem-${i}`, userHash: userHashFor(secret, `idem-${i}`) };
        case 4: return { type: 'identify', customerId: `idem-${i}`, userHash: 'f'.repeat(64) }; // rejected
        default: return { type: 'update', email: 'not-an-email' }; // rejected: validation
      }
    };
    let replays = 0;
    let events = 0;
    const mode = ['sequential', 'concurrent', 'same-batch'] as const;
    for (let i = 0; i < 60; i++) {
      const s = await h.api.session(); // a fresh visitor per event: identify is once per browser
      const ev: Record<string, unknown> = { id: `idem_${i}_${Math.random().toString(36).slice(2, 10)}`, ...kinds(i, h.secret) };
      const send = (evs: unknown[]) => h.api.call('POST', '/v1/sync', { events: evs }, s.token);
      const first = await send([ev]);
      expect(first.status).toBe(200);
      const original = first.json.results[0];
      expect(original.status).toBe(i % 6 >= 4 ? 'rejected' : 'applied');
      const times = 1 + (i % 5);
      const m = mode[i % 3];
      let answers: any[] = [];
      if (m === 'sequential') for (let k = 0; k < times; k++) answers.push((await send([ev])).json.results[0]);
      else if (m === 'concurrent') answers = (await Promise.all(Array.from({ length: times }, () => send([ev])))).map((r) => r.json.results[0]);
      else answers = (await send(Array.from({ length: times }, () => ev))).json.results;
      for (const a of answers) {
        const { status, ...rest } = a;
        const { status: _o, ...orig } = original;
        expect(status).toBe('duplicate');
        expect(rest).toEqual(orig);
      }
      replays += answers.length;
      events++;
      expect(queryDb(h.dataDir, 'SELECT 1 FROM processed_events WHERE event_id = ?', ev.id)).toHaveLength(1);
      if (ev.type === 'message') expect(queryDb(h.dataDir, 'SELECT 1 FROM messages WHERE text = ?', ev.text)).toHaveLength(1);
    }
    // concurrent first sends: the same new event raced 5 times applies once
    const s = await h.api.session();
    const ev = { id: 'race_first_send_1', type: 'message', text: 'raced first send' };
    const raced = await Promise.all(Array.from({ length: 5 }, () => h.api.call('POST', '/v1/sync', { events: [ev] }, s.token)));
    const statuses = raced.map((r) => r.json.results[0].status).sort();
    expect(statuses).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(new Set(raced.map((r) => JSON.stringify(r.json.results[0].message))).size).toBe(1);
    expect(queryDb(h.dataDir, "SELECT 1 FROM messages WHERE text = 'raced first send'")).toHaveLength(1);
    console.log(`[security 12] ${events} events x 1-5 replays (${replays} replays, sequential/concurrent/same batch) + 5 raced first sends: one row each, every replay answered the original`);
  } finally {
    await h.close();
  }
});
