// Webhooks (CONTRACT §8, Standard Webhooks): a delivery row is written in the transaction of the change it reports
// (a listener on the change bus), so a committed change always has its deliveries and a rolled-back one never does;
// a sender posts them after the commit, retries with growing delays across restarts, and disables an endpoint
// that has failed for 24 h. At least once: a receiver drops repeats by `webhook-id`.
import { randomBytes } from 'node:crypto';
import type { WebhookEvent } from '../../../widget/src/contract/zod/webhooks.js';
import { DISABLE_AFTER_MS, retryDelay, signWebhook } from '../domain/webhook-sign.js';
import type { DeliveryRecord, WebhookRecord } from '../storage/automation-store.js';
import type { ContactRecord, Store, Tx } from '../storage/store.js';
import type { Change, ChangeBus, Outbox } from './changes.js';
import { agentContact, presentMessage } from './present.js';
import { postWebhook } from './webhook-send.js';

export type WebhookService = ReturnType<typeof createWebhookService>;
/** What a delivery may carry: the subscribable events, plus what a rule's `webhook` action sends. */
export type DeliveryType = WebhookEvent | 'rule.matched';

export const newWebhookId = () => 'wh_' + randomBytes(12).toString('base64url');
const newMessageId = () => 'msg_' + randomBytes(16).toString('base64url');

export type WebhookOptions = {
  /** CHATIVE_WEBHOOK_ALLOW_PRIVATE=1: loopback and private targets allowed (tests, a receiver on the same host). */
  allowPrivate: boolean;
  /** CHATIVE_WEBHOOK_RETRY_SCALE: multiplies every retry delay (bench and tests shorten "5 s, 30 s, 5 min…"). */
  retryScale: number;
  timeoutMs: number;
  /** How many attempts run at once. */
  concurrency: number;
  now: () => number;
  log: (line: string) => void;
};

/** The webhook settings from the environment (read once at start). */
export function webhookOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<WebhookOptions, 'allowPrivate' | 'retryScale' | 'timeoutMs'> {
  const positive = (raw: string | undefined, fallback: number) => {
    const n = Number(raw ?? fallback);
    return Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return {
    allowPrivate: env.CHATIVE_WEBHOOK_ALLOW_PRIVATE === '1',
    retryScale: positive(env.CHATIVE_WEBHOOK_RETRY_SCALE, 1),
    // CHATIVE_WEBHOOK_TIMEOUT_MS: one attempt's budget (the contract's 10 s); an attempt cut by a crash is retried after 3×
    timeoutMs: positive(env.CHATIVE_WEBHOOK_TIMEOUT_MS, 10_000),
  };
}

/** The events one emit reports (per contact), with their `data`. */
async function eventsOf(tx: Tx, changes: Change[], wanted: Set<string>): Promise<{ type: WebhookEvent; data: unknown }[]> {
  const out: { type: WebhookEvent; data: unknown }[] = [];
  const contacts = new Map<string, ContactRecord | undefined>();
  const contact = async (id: string) => {
    if (!contacts.has(id)) contacts.set(id, await tx.getContact(id));
    const c = contacts.get(id);
    return c ? agentContact(c) : { id };
  };
  const updated = new Map<string, { change: string; field?: string; from?: unknown; to?: unknown }[]>();
  for (const ch of changes) {
    if (ch.change === 'message') {
      if (!wanted.has('message.created')) continue;
      const m = await tx.getMessage(ch.seq);
      if (m) out.push({ type: 'message.created', data: { contactId: ch.contactId, conversationId: ch.conversationId, message: presentMessage(m) } });
    } else if (ch.change === 'conversation') {
      if (ch.field === 'status' && ch.to === 'resolved' && wanted.has('conversation.resolved'))
        out.push({ type: 'conversation.resolved', data: { contactId: ch.contactId, conversationId: ch.conversationId } });
    } else if (ch.change === 'created') {
      if (wanted.has('contact.created')) out.push({ type: 'contact.created', data: { contact: await contact(ch.contactId) } });
    } else if (ch.change === 'type') {
      if (wanted.has('contact.type_changed')) out.push({ type: 'contact.type_changed', data: { contact: await contact(ch.contactId), from: ch.from, to: ch.to } });
    } else if (ch.change === 'merged') {
      // reported once, from the survivor's side (`from` is the contact merged into it)
      if (ch.from !== undefined && wanted.has('contact.merged')) out.push({ type: 'contact.merged', data: { contact: await contact(ch.contactId), mergedId: ch.from } });
    } else if (ch.change === 'erased') {
      if (wanted.has('contact.erased')) out.push({ type: 'contact.erased', data: { contactId: ch.contactId } });
    } else if (wanted.has('contact.updated')) {
      const list = updated.get(ch.contactId) ?? [];
      list.push({ change: ch.change, field: ch.change === 'tag_added' || ch.change === 'tag_removed' ? 'tags' : ch.field ?? ch.change, from: ch.from, to: ch.to });
      updated.set(ch.contactId, list);
    }
  }
  for (const [id, list] of updated) {
    out.push({ type: 'contact.updated', data: { contact: await contact(id), fields: [...new Set(list.map((l) => l.field))], changes: list } });
  }
  return out;
}

export function createWebhookService(deps: { store: Store; changes: ChangeBus } & Partial<WebhookOptions>) {
  const { store } = deps;
  const opts: WebhookOptions = {
    ...webhookOptionsFromEnv(),
    concurrency: 16,
    now: Date.now,
    log: (line) => console.error(line),
    ...Object.fromEntries(Object.entries(deps).filter(([, v]) => v !== undefined)),
  } as WebhookOptions;
  const iso = (ms = opts.now()) => new Date(ms).toISOString();
  let started = false;
  let closed = false;
  let pumping: Promise<void> | null = null;
  let again = false;
  let wake: NodeJS.Timeout | null = null;

  /** Writes one delivery in the caller's transaction; the sender is kicked after the commit. */
  async function enqueue(tx: Tx, webhook: Pick<WebhookRecord, 'id'>, type: DeliveryType, data: unknown, out: Outbox): Promise<DeliveryRecord> {
    const createdAt = iso();
    const d: DeliveryRecord = {
      id: newMessageId(), webhookId: webhook.id, type, body: JSON.stringify({ type, timestamp: createdAt, data }), createdAt,
      status: 'pending', attempts: 0, nextAttemptAt: createdAt, lastAttemptAt: null, lastStatus: null, lastError: null,
    };
    await tx.insertDelivery(d);
    out.push(kick);
    return d;
  }

  deps.changes.on(async (tx, changes, out) => {
    const hooks = (await tx.listWebhooks()).filter((w) => w.enabled);
    if (!hooks.length) return;
    const events = await eventsOf(tx, changes, new Set(hooks.flatMap((w) => w.events)));
    for (const e of events) for (const w of hooks) if (w.events.includes(e.type)) await enqueue(tx, w, e.type, e.data, out);
  });

  /** One attempt of one claimed delivery, and its outcome written (retry time, the endpoint's failing state). */
  async function attempt(d: DeliveryRecord, w: WebhookRecord) {
    const at = opts.now();
    const ts = Math.floor(at / 1000);
    const headers = { 'webhook-id': d.id, 'webhook-timestamp': String(ts), 'webhook-signature': signWebhook(w.secret, d.id, ts, d.body) };
    const r = await postWebhook(w.url, headers, d.body, { timeoutMs: opts.timeoutMs, allowPrivate: opts.allowPrivate });
    const done = opts.now();
    await store.write(async (tx) => {
      const attempts = d.attempts + 1;
      const hook = await tx.getWebhook(w.id);
      if (r.ok) {
        await tx.updateDelivery(d.id, { status: 'delivered', attempts, nextAttemptAt: null, lastAttemptAt: iso(at), lastStatus: r.status, lastError: null });
        if (hook?.failingSince) await tx.updateWebhook(w.id, { failingSince: null });
        return;
      }
      const delay = retryDelay(attempts, opts.retryScale);
      await tx.updateDelivery(d.id, {
        status: delay === null ? 'failed' : 'pending', attempts, nextAttemptAt: delay === null ? null : iso(done + delay),
        lastAttemptAt: iso(at), lastStatus: r.status, lastError: r.error,
      });
      if (!hook) return;
      const since = hook.failingSince ?? iso(at);
      if (hook.enabled && done - Date.parse(since) >= DISABLE_AFTER_MS) {
        await tx.updateWebhook(w.id, { failingSince: since, enabled: false, disabledReason: `disabled after failing since ${since} (last: ${r.error})` });
        opts.log(`webhook ${w.id} disabled: every delivery failed since ${since}`);
      } else if (!hook.failingSince) await tx.updateWebhook(w.id, { failingSince: since });
    });
  }

  /** Sends everything due now, `concurrency` at a time; claims first, so two senders never send one attempt twice. */
  async function drain() {
    for (;;) {
      const at = opts.now();
      const due = await store.read((r) => r.dueDeliveries(iso(at), 200));
      if (!due.length) return;
      const hooks = new Map((await store.read((r) => r.listWebhooks())).map((w) => [w.id, w]));
      // the claim lasts past the attempt's timeout: a sender killed mid-attempt leaves it due again after that
      const lease = iso(at + opts.timeoutMs * 3);
      const claimed = await store.write(async (tx) => {
        const mine: DeliveryRecord[] = [];
        for (const d of due) if (await tx.claimDelivery(d.id, d.nextAttemptAt!, lease)) mine.push(d);
        return mine;
      });
      let next = 0;
      const worker = async () => {
        while (next < claimed.length && !closed) {
          const d = claimed[next++];
          const w = hooks.get(d.webhookId);
          if (w) await attempt(d, w);
        }
      };
      await Promise.all(Array.from({ length: Math.min(opts.concurrency, claimed.length) }, worker));
      if (closed) return;
    }
  }

  /** Runs the sender until nothing is due; a call while it runs makes it look again. */
  function pump(): Promise<void> {
    if (closed) return Promise.resolve();
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = (async () => {
      do {
        again = false;
        await drain();
      } while (again && !closed);
    })()
      .catch((err: Error) => {
        if (!closed) opts.log(`webhook sender failed (retried shortly): ${err.message}`);
      })
      .finally(() => {
        pumping = null;
        if (started && !closed) void arm();
      });
    return pumping;
  }
  function kick() {
    void pump();
  }

  /** Sleeps until the next due delivery (at most 5 s: another instance may have enqueued one). */
  async function arm() {
    if (wake) clearTimeout(wake);
    const next = await store.read((r) => r.nextDeliveryAt()).catch(() => null);
    if (closed) return;
    const wait = next === null ? 5_000 : Math.min(5_000, Math.max(0, Date.parse(next) - opts.now()));
    wake = setTimeout(kick, wait);
    wake.unref();
  }

  return {
    enqueue,
    pump,
    /** Starts the sender: what is due (also what was due while the server was down) goes now. */
    start() {
      started = true;
      kick();
    },
    async close() {
      closed = true;
      if (wake) clearTimeout(wake);
      await pumping;
    },
    /** Makes a delivery due now with a fresh retry timetable (same webhook-id). */
    async redeliver(tx: Tx, d: DeliveryRecord, out: Outbox) {
      await tx.updateDelivery(d.id, { status: 'pending', attempts: 0, nextAttemptAt: iso() });
      out.push(kick);
    },
    options: opts,
  };
}
