// Automation (issue 12): sync throughput with 50 enabled rules that do not match vs none, alternating rounds in
// one server (rules enabled/disabled between rounds), and with 5 matching reported; then 10,000 webhook events
// to a local receiver that is down for the first minute (--webhook-down-s=N shortens it; retries run on
// CHATIVE_WEBHOOK_RETRY_SCALE=0.05, so "5 s, 30 s, 5 min…" become 0.25 s, 1.5 s, 15 s…): none may be lost,
// none enqueued twice (distinct webhook-ids, and one id per message).
import { drive, type LoadResult } from '../lib/load';
import { median } from '../lib/stats';
import { call, startBenchServer, type StartServer } from '../lib/server';
import { pool } from '../lib/sse';
import type { BenchContext, SectionResult } from '../lib/section';
import { startReceiver } from '../../server/helpers/webhook-receiver';

const CONNECTIONS = 50;
const fmt = (r: LoadResult) => `${Math.round(r.rps).toLocaleString('en-US')} req/s, p99 ${r.p99} ms`;

export async function runRules(ctx: BenchContext, start: StartServer | null): Promise<SectionResult> {
  const S = 'Automation';
  if (!start) return { figures: [{ section: S, name: 'sync with 50 non-matching rules vs none', value: null, unit: '×', note: 'server not available in this run' }] };
  const downS = Number(process.argv.find((a) => a.startsWith('--webhook-down-s='))?.slice(17) ?? (ctx.quick ? 5 : 60));
  const events = ctx.quick ? 1_000 : 10_000;
  const notes: string[] = [];
  const { server } = await startBenchServer(start, { CHATIVE_WEBHOOK_ALLOW_PRIVATE: '1', CHATIVE_WEBHOOK_RETRY_SCALE: '0.05' });
  const rx = await startReceiver();
  try {
    const agent = <T = any>(method: string, path: string, body?: unknown) => call<T>(server.url, method, path, server.agentToken, body);
    const sessions = await pool(Array.from({ length: 200 }), 8, () => call<{ token: string }>(server.url, 'POST', '/v1/sessions', undefined, { siteId: 'default' }));
    const tokens = sessions.flatMap((s) => (s.status === 'fulfilled' ? [s.value.token] : []));
    let run = 0;
    const load = (seconds: number) => {
      const id = `bench-rules-${run++}`;
      return drive({
        url: server.url, path: '/v1/sync', connections: CONNECTIONS, durationS: seconds,
        request: (n) => ({ headers: { authorization: `Bearer ${tokens[n % tokens.length]}` }, body: JSON.stringify({ events: [{ id: `${id}-${n}`, type: 'message', text: `bench ${n}` }] }) }),
      });
    };
    // 50 rules whose triggers never fire on a message (tag added: a tag nobody adds), enabled or not per round
    const idle: string[] = [];
    for (let i = 0; i < 50; i++) idle.push((await agent<{ id: string }>('POST', '/v1/rules', { name: `idle ${i}`, enabled: false, trigger: { on: 'contact.tag_added', tag: `never-${i}` }, where: { all: [{ field: 'type', op: 'is', value: 'customer' }] }, actions: [{ addTag: 'x' }] })).id);
    const setAll = (ids: string[], enabled: boolean) => pool(ids, 8, (id) => agent('PATCH', `/v1/rules/${id}`, { enabled }));
    const rounds = ctx.quick ? 1 : 3;
    const roundS = ctx.quick ? 3 : 5;
    await load(2);
    const none: LoadResult[] = [];
    const fifty: LoadResult[] = [];
    for (let i = 0; i < rounds; i++) {
      await setAll(idle, false);
      none.push(await load(roundS));
      await setAll(idle, true);
      fifty.push(await load(roundS));
      ctx.log(`rules round ${i + 1}/${rounds}: none ${fmt(none[i])}; 50 non-matching ${fmt(fifty[i])}`);
    }
    const ratio = median(fifty.map((r, i) => r.rps / none[i].rps));
    // 5 matching: every visitor message fires them (each writes its run log and re-adds a tag it already has)
    const five: string[] = [];
    for (let i = 0; i < 5; i++) five.push((await agent<{ id: string }>('POST', '/v1/rules', { name: `hot ${i}`, trigger: { on: 'message.received' }, actions: [{ addTag: `talked-${i}` }] })).id);
    const matching = await load(roundS);
    ctx.log(`rules: 50 non-matching + 5 matching ${fmt(matching)}`);
    await setAll([...idle, ...five], false);

    // webhooks: `events` message.created deliveries, the receiver down (503) for the first downS seconds
    await agent('POST', '/v1/webhooks', { url: rx.url, events: ['message.created'] });
    rx.set('down');
    const t0 = Date.now();
    const upTimer = setTimeout(() => rx.set('up'), downS * 1000);
    const batches = Array.from({ length: events / 20 }, (_, b) => b);
    const sent = await pool(batches, 4, (b) => call<{ results: { status: string }[] }>(server.url, 'POST', '/v1/sync', tokens[b % tokens.length], { events: Array.from({ length: 20 }, (_, i) => ({ id: `bench-hook-${b}-${i}`, type: 'message', text: `hook ${b}.${i}` })) }));
    const applied = sent.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value.results.filter((x) => x.status === 'applied').length : 0), 0);
    if (applied !== events) throw new Error(`only ${applied} of ${events} webhook-bench messages were applied`);
    const enqueuedS = (Date.now() - t0) / 1000;
    const deadline = Date.now() + (downS + 600) * 1000;
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([rx.until(() => rx.deliveredIds().size >= events), new Promise((r) => (giveUp = setTimeout(r, deadline - Date.now())))]);
    clearTimeout(giveUp);
    clearTimeout(upTimer);
    const allS = (Date.now() - t0) / 1000;
    const ids = rx.deliveredIds();
    const repeats = rx.received.filter((r) => r.answered === 204).length - ids.size;
    // one webhook-id per message: an event enqueued twice would show as two ids for one message seq
    const seqs = new Map<string, Set<string>>();
    for (const r of rx.received) {
      const seq = String(JSON.parse(r.body).data.message.seq);
      seqs.set(seq, (seqs.get(seq) ?? new Set()).add(String(r.headers['webhook-id'])));
    }
    const doubled = [...seqs.values()].filter((s) => s.size > 1).length;
    const lost = events - ids.size;
    ctx.log(`webhooks: ${events} events, receiver down ${downS} s: ${ids.size} delivered in ${allS.toFixed(0)} s, lost ${lost}, enqueued twice ${doubled}, repeats of one id ${repeats}`);
    notes.push(`Webhooks: ${events.toLocaleString('en-US')} message.created events (enqueued in ${enqueuedS.toFixed(1)} s through /v1/sync), receiver answering 503 for the first ${downS} s, retries at CHATIVE_WEBHOOK_RETRY_SCALE=0.05; all delivered after ${allS.toFixed(0)} s; ${repeats} repeated deliveries of an id already received (at-least-once).`);
    return {
      figures: [
        { section: S, name: 'sync throughput, 50 enabled non-matching rules ÷ none', value: ratio, unit: '×', goal: { op: '>=', value: 0.8 },
          compared: `medians of ${rounds} alternating ${roundS} s rounds: none ${fmt(none[0])}…; 50 rules ${fmt(fifty[0])}…` },
        { section: S, name: 'sync throughput with 5 matching rules', value: matching.rps, unit: 'req/s', compared: `50 non-matching alone: ${fmt(fifty[fifty.length - 1])}` },
        { section: S, name: `webhook events lost (of ${events.toLocaleString('en-US')}, receiver down ${downS} s)`, value: lost, unit: 'events', goal: { op: '<=', value: 0 } },
        { section: S, name: 'webhook events enqueued twice (two ids for one event)', value: doubled, unit: 'events', goal: { op: '<=', value: 0 } },
        { section: S, name: `time until all ${events.toLocaleString('en-US')} delivered`, value: allS, unit: 's' },
      ],
      notes,
    };
  } finally {
    await rx.close();
    await server.stop();
  }
}
