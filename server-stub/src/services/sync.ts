// POST /v1/sync event application: one transaction per event, its idempotency row written in the same one.
import { eventSchema, type SyncEvent } from '../../../widget/src/contract/zod/events.js';
import { HttpError, toIssues, type Issue } from '../http/http-error.js';
import type { ContactRecord, ConversationRecord, TokenRecord, Tx } from '../storage/store.js';
import type { ContactService } from './contacts.js';
import type { Outbox } from './changes.js';
import type { ConversationService } from './conversations.js';
import { NeedsSerial, type BatchFn } from './group-commit.js';
import { presentMessage, type Message } from './present.js';

export type EventResult = {
  id: string;
  status: 'applied' | 'duplicate' | 'rejected';
  error?: { code: string; message: string; issues?: Issue[] };
  message?: Message;
};

/** A pipelined message event's writes in one step (Tx.visitorMessageEvent): what it was, and what it wrote. */
type MessageEvent = { scope: string; eventId: string; written?: { contact: ContactRecord | undefined } };
type Prefetched = { fresh: TokenRecord | undefined; brief: Awaited<ReturnType<Tx['getContactBrief']>>; conv: ConversationRecord | undefined };

/** What processed_events.result holds: the answer, a message by its seq only (rows written before issue 15 hold the whole message). */
type StoredResult = EventResult & { seq?: number };

export type SyncService = ReturnType<typeof createSyncService>;
/** What a /v1/sync answer shows besides the results: the token and its contact as the batch left them. */
export type SyncAnswer = { token: TokenRecord; contact: ContactRecord };

export function createSyncService(deps: { contacts: ContactService; conversations: ConversationService }) {
  const { contacts, conversations } = deps;
  /**
   * The token each pipelined attempt (its handle) already read in a message's eventContext, by token id: the answer
   * reuses it instead of reading it again. Exact: a pipelined unit runs only message events and answers, none of
   * which writes a token, and its SERIALIZABLE snapshot answers any later read of that row the same.
   */
  const tokensRead = new WeakMap<Tx, Map<number, TokenRecord | undefined>>();
  /**
   * A pipelined attempt's answer contact, as the message event's writes left it (Tx.visitorMessageEvent answers it: no
   * statement of its own), by handle and token, with the last_seen_at that event wrote. A message event changes nothing else of its
   * contact (a rule's action would need a savepoint, which sends the batch the sequential way), so the read is the
   * answer exactly when it saw that last_seen_at; otherwise the answer reads again.
   */
  const contactsAhead = new WeakMap<Tx, Map<number, { contact: Promise<ContactRecord | undefined>; at?: string }>>();
  function aheadOf(tx: Tx) {
    let byToken = contactsAhead.get(tx);
    if (!byToken) contactsAhead.set(tx, (byToken = new Map()));
    return byToken;
  }

  /**
   * What a message event reads first, in one go (one statement on PostgreSQL), on the guess that the token still
   * points at the contact it had when the request came in; run() reads again when it does not. When pipelined, the
   * change listeners' reads (webhooks, rules version) go beside it: the store reads them once per unit.
   */
  async function prefetch(tx: Tx, scope: string, eventId: string, ev: Extract<SyncEvent, { type: 'message' }>, token: TokenRecord, pipelined: boolean): Promise<[string | undefined, Prefetched]> {
    // the listeners' reads first: then every event's eventContext of a pipelined unit joins one wave (pg-store.ts)
    const listeners = pipelined ? [tx.listWebhooks(), tx.rulesVersion()] : [];
    const [ctx] = await Promise.all([
      tx.eventContext({ scope, eventId, tokenId: token.id, contactId: token.contactId, conversationId: ev.conversationId }),
      ...listeners,
    ]);
    if (pipelined) {
      let seen = tokensRead.get(tx);
      if (!seen) tokensRead.set(tx, (seen = new Map()));
      seen.set(token.id, ctx.token);
    }
    return [ctx.seen, { fresh: ctx.token, brief: ctx.brief, conv: ctx.conv }];
  }

  async function run(tx: Tx, ev: SyncEvent, token: TokenRecord, out: Outbox, pipelined: boolean, pre?: Prefetched, event?: MessageEvent): Promise<EventResult> {
    if (ev.type === 'message') {
      // re-read: an earlier event of the batch may have merged this token's contact away
      const fresh = pre ? pre.fresh : await tx.findTokenById(token.id);
      if (!fresh || fresh.revoked) throw new HttpError(401, 'invalid_token', 'the visitor token was revoked');
      const guessed = pre !== undefined && fresh.contactId === token.contactId;
      // the batch's chains are keyed by the contact the request started with (prepare): another one is not ours
      if (pipelined && !guessed) throw new NeedsSerial("the token's contact changed");
      // a message needs only the contact's id and site: skip loading custom values and tags
      const brief = guessed ? pre.brief : await tx.getContactBrief(fresh.contactId);
      if (!brief) throw new HttpError(404, 'contact_not_found', 'no such contact');
      if (brief.mergedInto) throw new HttpError(409, 'contact_merged', `contact was merged into ${brief.mergedInto}`);
      const m = await conversations.visitorMessage(tx, brief, ev.text, ev.conversationId, out, guessed ? { conv: pre.conv, event } : undefined);
      return { id: ev.id, status: 'applied', message: presentMessage(m) };
    }
    // re-read: an earlier event of the batch may have merged this token's contact away
    const fresh = await tx.findTokenById(token.id);
    if (!fresh || fresh.revoked) throw new HttpError(401, 'invalid_token', 'the visitor token was revoked');
    const contact = await contacts.liveContact(tx, fresh.contactId);
    switch (ev.type) {
      case 'lead':
        await contacts.applyDetails(tx, contact, ev, out, { form: true });
        return { id: ev.id, status: 'applied' };
      case 'update':
        await contacts.applyDetails(tx, contact, ev, out);
        return { id: ev.id, status: 'applied' };
      case 'identify':
        await contacts.identify(tx, contact, ev, fresh.id, out);
        return { id: ev.id, status: 'applied' };
    }
  }

  /** Applies one event for a token inside the caller's (group) transaction, in its own savepoint; a replayed id answers the stored original as `duplicate`. */
  async function apply(tx: Tx, raw: { id: string; type: string }, parsed: ReturnType<typeof eventSchema.safeParse>, token: TokenRecord, out: Outbox, pipelined: boolean): Promise<EventResult> {
    const scope = `t:${token.id}`;
    const message = parsed.success && parsed.data.type === 'message' ? parsed.data : undefined;
    // reads only: they may go before the event's savepoint (a duplicate wasted them)
    const [seen, pre] = message ? await prefetch(tx, scope, raw.id, message, token, pipelined) : [await tx.getEventResult(scope, raw.id)];
    if (seen) return { ...(await replayed(tx, seen)), status: 'duplicate' };
    // the host page speaks through identify; everything else is the visitor's own doing
    const mine = out.child({ kind: raw.type === 'identify' ? 'host' : 'visitor', id: token.contactId });
    try {
      const result = await tx.savepoint(async (sp) => {
        if (!parsed.success) throw new HttpError(400, 'validation_failed', describe(toIssues(parsed.error.issues)), toIssues(parsed.error.issues));
        // pipelined: the message, its contact's last_seen_at, its stored result and the answer's contact in one step
        // (Tx.visitorMessageEvent; one statement for the whole wave on PostgreSQL)
        const event: MessageEvent | undefined = pipelined && message ? { scope, eventId: raw.id } : undefined;
        const r = await run(sp, parsed.data, token, mine, pipelined, pre, event);
        if (event?.written) {
          aheadOf(tx).set(token.id, { contact: Promise.resolve(event.written.contact), at: r.message?.createdAt });
          return r;
        }
        const saving = sp.saveEventResult(scope, raw.id, JSON.stringify(stored(r)));
        // pipelined: not awaited, the stored result goes with the unit's COMMIT; a failure dooms the unit (the store
        // rejects it, and a COMMIT answered ROLLBACK too), so nothing is acknowledged without its stored result
        if (pipelined) saving.catch(() => undefined);
        else await saving;
        return r;
      });
      out.adopt(mine);
      return result;
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      // the event's savepoint rolled back (and its live events are dropped); remember the refusal so a replay answers the same
      const result: EventResult = { id: raw.id, status: 'rejected', error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } };
      await tx.savepoint((sp) => sp.saveEventResult(scope, raw.id, JSON.stringify(result)));
      return result;
    }
  }

  /** A message result keeps only its seq: the text is in `messages` already and is read back on a replay. */
  const stored = (r: EventResult): StoredResult => (r.message ? { id: r.id, status: r.status, seq: r.message.seq } : r);
  async function replayed(tx: Tx, json: string): Promise<EventResult> {
    const { seq, ...r } = JSON.parse(json) as StoredResult;
    if (seq === undefined) return r;
    const m = await tx.getMessage(seq);
    return m ? { ...r, message: presentMessage(m) } : r;
  }

  return {
    /**
     * The request's answer, read as the batch's last step inside its unit (after its events, in their chain): one
     * round trip in the unit's pipeline instead of a read unit of its own after the commit.
     */
    answer(token: TokenRecord): BatchFn<SyncAnswer> {
      const fn: BatchFn<SyncAnswer> = async (tx, _out, pipelined = false) => {
        const known = pipelined ? tokensRead.get(tx) : undefined;
        const ahead = pipelined ? contactsAhead.get(tx)?.get(token.id) : undefined;
        contactsAhead.get(tx)?.delete(token.id);
        const contact = ahead
          ? ahead.contact.then((c) => (c && ahead.at !== undefined && c.lastSeenAt === ahead.at ? c : tx.getContact(token.contactId)))
          : tx.getContact(token.contactId);
        const [fresh, guess] = await Promise.all([known?.has(token.id) ? known.get(token.id) : tx.findTokenById(token.id), contact]);
        if (!fresh) throw new HttpError(401, 'invalid_token', 'the visitor token is gone');
        if (fresh.contactId === token.contactId) return { token: fresh, contact: guess! };
        if (pipelined) throw new NeedsSerial("the token's contact changed");
        return { token: fresh, contact: (await tx.getContact(fresh.contactId))! };
      };
      fn.chain = token.contactId;
      return fn;
    },

    /**
     * Validates the event now, as its request arrives, and answers the work left for the group commit: the
     * commit (and the fsync after it) waits for the slowest batch member, so the less it runs the better.
     */
    prepare(raw: { id: string; type: string }, token: TokenRecord): BatchFn<EventResult> {
      const parsed = eventSchema.safeParse(raw);
      const fn: BatchFn<EventResult> = (tx, out, pipelined = false) => apply(tx, raw, parsed, token, out, pipelined);
      // a valid message touches only its own contact's rows (and rows of its own): it may run beside other contacts'
      // (group-commit.ts); details, identify and refusals may touch other contacts (merges, tags) and run in order
      if (parsed.success && parsed.data.type === 'message') fn.chain = token.contactId;
      return fn;
    },
  };
}

function describe(issues: Issue[]): string {
  const first = issues[0];
  return first ? `${first.path.join('.') || 'event'}: ${first.message}` : 'invalid event';
}
