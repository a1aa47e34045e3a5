// kill -9 of a real server in the middle of its delivery queue: after a restart every event arrives, none is lost,
// none is enqueued twice (receivers count distinct webhook-ids; a repeat of one id is the at-least-once promise).
// In the server-pg project both processes run on this file's PostgreSQL database (DATABASE_URL).
import { afterEach, expect, it } from 'vitest';
import { createClient } from './helpers/client.js';
import { pgDatabaseUrl } from './helpers/pg.js';
import { startServer, type RunningServer } from './helpers/spawn-server.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';

let server: RunningServer | undefined;
let rx: Receiver | undefined;
afterEach(async () => {
  await server?.stop();
  await rx?.close();
});

const ENV: Record<string, string> = { CHATIVE_WEBHOOK_ALLOW_PRIVATE: '1', CHATIVE_WEBHOOK_RETRY_SCALE: '0.0002', CHATIVE_WEBHOOK_TIMEOUT_MS: '1000', CHATIVE_RATE_LIMIT: '0' };

it('loses and doubles nothing across kill -9 mid-queue', { timeout: 60_000 }, async () => {
  if (process.env.CHATIVE_TEST_ENGINE === 'pg') Object.assign(ENV, { DATABASE_URL: await pgDatabaseUrl() });
  rx = await startReceiver();
  server = await startServer({ env: ENV });
  const api = () => createClient((p, i) => fetch(server!.url + p, i), server!.agentToken);
  const hook = (await api().agent('POST', '/v1/webhooks', { url: rx.url, events: ['contact.created'] })).json;
  // the receiver hangs: attempts are in flight (claimed) when the process dies
  rx.set('hang');
  const contacts: string[] = [];
  for (let i = 0; i < 40; i++) contacts.push((await api().session()).contact.id);
  await rx.until(() => rx!.received.length >= 5);
  await server.kill('SIGKILL');
  const dataDir = server.dataDir;
  rx.set('up');
  server = await startServer({ env: { ...ENV, CHATIVE_AGENT_TOKEN: server.agentToken }, dataDir });
  await rx.until(() => rx!.deliveredIds().size >= 40);
  // every delivery in the log is delivered, and the receiver saw exactly those ids
  const items: { id: string; status: string }[] = [];
  for (let cursor = ''; ; ) {
    const page = (await api().agent('GET', `/v1/webhooks/${hook.id}/deliveries?limit=200${cursor ? `&cursor=${cursor}` : ''}`)).json;
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  expect(items).toHaveLength(40);
  expect(new Set(items.map((d) => d.id))).toEqual(rx.deliveredIds());
  // one event per contact, by content: no change enqueued twice under two ids
  const byContact = new Map<string, Set<string>>();
  for (const r of rx.received) {
    const id = JSON.parse(r.body).data.contact.id as string;
    byContact.set(id, (byContact.get(id) ?? new Set()).add(String(r.headers['webhook-id'])));
  }
  expect([...byContact.keys()].sort()).toEqual([...contacts].sort());
  for (const ids of byContact.values()) expect(ids.size).toBe(1);
});
