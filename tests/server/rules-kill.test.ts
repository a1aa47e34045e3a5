// kill -9 of a real server while visitors' messages fire a rule: every acknowledged message has its rule run and
// its rule-made webhook delivery, exactly once — they commit in the message's own transaction or not at all.
import { afterEach, expect, it } from 'vitest';
import { createClient } from './helpers/client.js';
import { startServer, type RunningServer } from './helpers/spawn-server.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';

let server: RunningServer | undefined;
let rx: Receiver | undefined;
afterEach(async () => {
  await server?.stop();
  await rx?.close();
});

const ENV = { CHATIVE_WEBHOOK_ALLOW_PRIVATE: '1', CHATIVE_WEBHOOK_RETRY_SCALE: '0.0002', CHATIVE_WEBHOOK_TIMEOUT_MS: '1000', CHATIVE_RATE_LIMIT: '0' };

it('loses and doubles no rule action across kill -9', { timeout: 60_000 }, async () => {
  rx = await startReceiver();
  server = await startServer({ env: ENV });
  const api = () => createClient((p, i) => fetch(server!.url + p, i), server!.agentToken);
  const hook = (await api().agent('POST', '/v1/webhooks', { url: rx.url, events: ['contact.erased'] })).json;
  const rule = (await api().agent('POST', '/v1/rules', { name: 'talked', trigger: { on: 'message.received' }, actions: [{ addTag: 'talked' }, { webhook: hook.id }] })).json;
  const visitors = await Promise.all(Array.from({ length: 8 }, () => api().session()));
  let acked = 0;
  let stop = false;
  // each visitor sends messages one after another until the server dies under them
  const senders = visitors.map(async (v) => {
    while (!stop) {
      const r = await api().sync(v.token, [{ type: 'message', text: 'hello' }]).catch(() => null);
      if (!r || r.status !== 200) return;
      if (r.json.results[0].status === 'applied') acked++;
    }
  });
  await rx.until(() => rx!.received.length >= 20);
  await server.kill('SIGKILL');
  stop = true;
  await Promise.all(senders);
  server = await startServer({ env: { ...ENV, CHATIVE_AGENT_TOKEN: server.agentToken }, dataDir: server.dataDir });
  // what is on disk: every visitor message, every run, every delivery
  let messages = 0;
  for (const v of visitors) {
    const conv = (await api().agent('GET', `/v1/conversations?contactId=${v.contact.id}`)).json.items[0];
    if (conv) messages += (await api().agent('GET', `/v1/conversations/${conv.id}/messages?limit=200`)).json.items.length;
  }
  const runs: unknown[] = [];
  for (let cursor = ''; ; ) {
    const page = (await api().agent('GET', `/v1/rules/${rule.id}/runs?limit=200${cursor ? `&cursor=${cursor}` : ''}`)).json;
    runs.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  expect(messages).toBeGreaterThanOrEqual(acked);
  expect(runs).toHaveLength(messages); // one run per stored message: none lost, none doubled
  await rx.until(() => rx!.deliveredIds().size === messages);
  expect(rx.deliveredIds().size).toBe(messages);
});
