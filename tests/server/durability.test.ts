// A real SQLite file: write, close, reopen; and kill -9 during a stream of acknowledged events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { userHashFor } from '../../server-stub/src/domain/identity.js';
import { createClient } from './helpers/client.js';
import { startServer } from './helpers/spawn-server.js';
import { createTestApp } from './helpers/test-app.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'chative-dur-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

it('write, close, reopen: contacts, values, tags, notes, conversations, messages, settings, idempotency', async () => {
  const dataDir = tempDir();
  const a = await createTestApp({ dataDir, siteSecret: 'x'.repeat(32) });
  const api = createClient((p, i) => a.app.request(p, i), a.agentToken);
  await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  await api.agent('PATCH', '/v1/settings', { greeting: 'Persisted hello' });
  const s = await api.session();
  const batch = { events: [{ id: 'persist-0001', type: 'lead', name: 'Ada', email: 'ada@x.io', custom: { plan: 'pro' } }, { id: 'persist-0002', type: 'message', text: 'kept' }, { id: 'persist-0003', type: 'identify', customerId: 'c-1', userHash: userHashFor('x'.repeat(32), 'c-1') }] };
  await api.call('POST', '/v1/sync', batch, s.token);
  await api.agent('PUT', `/v1/contacts/${s.contact.id}/tags/VIP`);
  await api.agent('PUT', `/v1/contacts/${s.contact.id}/note`, { text: 'a note' });
  const before = (await api.agent('GET', `/v1/contacts/${s.contact.id}`)).json;
  await a.close();

  const b = await createTestApp({ dataDir, siteSecret: 'x'.repeat(32) });
  const api2 = createClient((p, i) => b.app.request(p, i), b.agentToken);
  try {
    expect((await api2.agent('GET', `/v1/contacts/${s.contact.id}`)).json).toEqual(before);
    expect(before).toMatchObject({ type: 'customer', custom: { plan: 'pro' }, tags: ['VIP'], note: 'a note' });
    expect((await api2.call('GET', '/v1/messages', undefined, s.token)).json.items.map((m: any) => m.text)).toEqual(['kept']);
    expect((await api2.call('GET', '/v1/sites/default/config')).json.greeting).toBe('Persisted hello');
    const replay = await api2.call('POST', '/v1/sync', batch, s.token);
    expect(replay.json.results.map((r: any) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect((await api2.call('GET', '/v1/messages', undefined, s.token)).json.items).toHaveLength(1);
  } finally {
    await b.close();
  }
});

it('kill -9 during a stream of acknowledged events: after restart every acknowledged event is there exactly once', async () => {
  const dataDir = tempDir();
  const srv = await startServer({ dataDir, env: { CHATIVE_RATE_LIMIT: '0' } });
  const api = createClient((p, i) => fetch(srv.url + p, i), srv.agentToken);
  const senders = await Promise.all([0, 1, 2, 3].map(() => api.session()));
  const acked = new Map<string, string[]>(senders.map((s) => [s.token, []]));
  const sent = new Map<string, { id: string; text: string }[]>(senders.map((s) => [s.token, []]));
  let stop = false;
  const loops = senders.map(async (s, k) => {
    for (let i = 0; !stop; i++) {
      const ev = { id: `kill-${k}-${String(i).padStart(6, '0')}`, text: `s${k}-m${i}` };
      sent.get(s.token)!.push(ev);
      try {
        const r = await api.call('POST', '/v1/sync', { events: [{ ...ev, type: 'message' }] }, s.token);
        if (r.status === 200 && r.json.results[0].status === 'applied') acked.get(s.token)!.push(ev.text);
      } catch {
        return; // connection died with the server
      }
    }
  });
  // let a good number of events get acknowledged, then kill without warning
  while ([...acked.values()].reduce((n, a) => n + a.length, 0) < 150) await new Promise((r) => setTimeout(r, 20));
  await srv.kill('SIGKILL');
  stop = true;
  await Promise.all(loops);
  const totalAcked = [...acked.values()].reduce((n, a) => n + a.length, 0);
  expect(totalAcked).toBeGreaterThanOrEqual(150);

  const again = await startServer({ dataDir, env: { CHATIVE_AGENT_TOKEN: srv.agentToken, CHATIVE_SITE_SECRET: srv.secret, CHATIVE_RATE_LIMIT: '0' } });
  const api2 = createClient((p, i) => fetch(again.url + p, i), again.agentToken);
  try {
    for (const s of senders) {
      const texts: string[] = [];
      let after = 0;
      for (;;) {
        const r = await api2.call('GET', `/v1/messages?after=${after}&limit=200`, undefined, s.token);
        texts.push(...r.json.items.map((m: any) => m.text));
        if (!r.json.nextCursor) break;
        after = Number(r.json.nextCursor);
      }
      for (const text of acked.get(s.token)!) expect(texts.filter((x) => x === text)).toHaveLength(1);
      // the outbox resends everything it is unsure of: nothing is applied twice
      const resend = sent.get(s.token)!.slice(-5);
      const r = await api2.call('POST', '/v1/sync', { events: resend.map((e) => ({ ...e, type: 'message' })) }, s.token);
      expect(r.status).toBe(200);
      const after2 = await api2.call('GET', '/v1/messages?limit=200&after=0', undefined, s.token);
      let all = after2.json.items.map((m: any) => m.text);
      let cursor = after2.json.nextCursor;
      while (cursor) {
        const p = await api2.call('GET', `/v1/messages?limit=200&after=${cursor}`, undefined, s.token);
        all = all.concat(p.json.items.map((m: any) => m.text));
        cursor = p.json.nextCursor;
      }
      expect(new Set(all).size).toBe(all.length);
      for (const e of resend) expect(all).toContain(e.text);
    }
  } finally {
    await again.stop();
  }
});
