// The widget's brain, free of UI: session, history, live stream, outbox and host events.
// The Preact app renders its state; the command map calls its methods.
import type { Contact, Message, SiteConfig, SyncResult } from '../contract/schemas';
import { newEventId, type IdentifyArgs, type UpdateArgs, type OutboxEvent } from '../contract/events';
import { WidgetError, type Client } from '../client/http';
import { createOutbox, resultError } from '../client/outbox';
import { createStream } from '../client/stream';
import { backoffDelay } from '../client/backoff';
import { withLock, type Bus } from '../client/bus';
import type { Kv } from '../storage/kv';
import { identityKey, loadIdentity, saveIdentity, identifyKey } from './identity';
import { createEmitter } from './emitter';
import { fatalError, fixHint, toRejection, type HostError } from './host-errors';
import { apiError } from '../commands/api-error';
import { fieldIssues, type ServerIssue } from '../contract/form-issues';
import type { FormValues } from '../contract/form';

export interface PendingMessage { eventId: string; text: string; status: 'pending' | 'failed'; error?: string }
export interface WidgetState {
  open: boolean;
  config: SiteConfig | null;
  configFailed: boolean;
  contact: Contact | null;
  /** Contact type remembered from storage, known before the server answers. */
  storedType: string | null;
  messages: Message[];
  pending: PendingMessage[];
  unread: number;
  /** The pre-chat form or an identify/update with details is on its way: no form. */
  identifying: number;
  formError: string | null;
  /** What the visitor typed in the pre-chat form, kept until the server accepted it (a refusal brings it back). */
  formValues: FormValues | null;
  /** The server's refusal of the form, by field key. */
  formIssues: Record<string, string>;
  /** The server refused this page for good (unknown site, origin not allowed, refused session). */
  failure: HostError | null;
  /** An agent is typing: shown for a few seconds after each signal, cleared by their message. */
  agentTyping: boolean;
}
export interface CoreDeps {
  client: Client;
  kv: Kv;
  bus: Bus;
  siteId: string;
  consent: boolean;
  /** Read lazily: the first Intl time-zone lookup loads zone data (100–400 ms on a slow phone). */
  timezone?: () => string | undefined;
  locale?: string;
  fetch?: typeof fetch;
  /** The public config that came with widget.js (null: read it here). */
  config?: unknown;
}
export type PublicContact = Pick<Contact, 'id' | 'type' | 'name' | 'email' | 'phone' | 'customerId'>;

const fresh = (): Omit<WidgetState, 'open' | 'config' | 'configFailed'> =>
  ({ contact: null, storedType: null, messages: [], pending: [], unread: 0, identifying: 0, formError: null, formValues: null, formIssues: {}, failure: null, agentTyping: false });

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((r, j) => { resolve = r; reject = j; });
  promise.catch(() => undefined); // a refusal nobody waited for is no unhandled rejection on the host page
  return { promise, resolve, reject };
}

export function toPublicContact(c: Contact): PublicContact {
  return { id: c.id, type: c.type, name: c.name ?? null, email: c.email ?? null, phone: c.phone ?? null, customerId: c.customerId ?? null };
}

export type Core = ReturnType<typeof createCore>;

export function createCore(deps: CoreDeps) {
  const { client, kv, bus, siteId } = deps;
  const emitter = createEmitter();
  const subscribers = new Set<() => void>();
  let state: WidgetState = { open: false, config: null, configFailed: false, ...fresh() };
  let token = deferred<string>();
  let currentToken: string | null = null;
  let session = deferred<Contact>();
  let started = deferred<void>();
  let isStarted = false;
  let establishing: Promise<void> | null = null;
  let refused: string | null = null;
  let lastSeq = 0;
  let generation = 0; // bumped by reset: work from the previous visitor must not touch the new one
  let failed: HostError | null = null;
  let warned = false;
  const where = { siteId, server: client.origin, page: globalThis.location?.origin || '' }; // no location in unit tests

  const set = (patch: Partial<WidgetState>) => { state = { ...state, ...patch }; subscribers.forEach((fn) => fn()); };
  /** Work nobody awaits (storage writes, boot): a failure reaches the host's `error` channel, never an unhandled rejection. */
  const background = (p: Promise<unknown>) => {
    p.catch((err: unknown) => emitter.emit('error', { code: (err as { code?: string })?.code ?? 'widget_failed', message: err instanceof Error ? err.message : String(err) }));
  };

  const outbox = createOutbox({
    kv, siteId, client, bus,
    getToken: () => token.promise,
    onResult,
    onContact: (c) => onContact(c, false),
    onUnauthorized: () => renewSession(),
  });
  const stream = createStream({
    origin: client.origin, siteId, fetch: deps.fetch,
    getToken: () => token.promise,
    lastSeq: () => lastSeq,
    onMessage: (m) => { advance(m.seq); onMessage(m, true, true); },
    onContact: (c) => onContact(c, true),
    onTyping: () => { agentTyping(true); bus.post({ kind: 'typing' }); }, // only this tab streams: the others hear it from it
    onUnauthorized: () => { stream.stop(); void renewSession(); },
    // The stream (re)opened, so the server is reachable: send what waits now, not at the outbox's next backoff.
    onOpen: () => void outbox.flush(),
  });

  bus.listen((msg) => {
    if (msg.kind === 'message') { advance(msg.message.seq); onMessage(msg.message, true, false); } // relayed from another tab's stream
    else if (msg.kind === 'contact') onContact(msg.contact, false);
    else if (msg.kind === 'typing') agentTyping(true);
    else if (msg.kind === 'reset') background(wipe().then(() => { if (state.open) void start(); })); // the next guest is made at their first interaction
  });

  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** Agents' consoles signal every ~3 s while typing: hide the indicator when the signals stop. */
  function agentTyping(on: boolean) {
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(() => agentTyping(false), 6000);
    if (state.agentTyping !== on) set({ agentTyping: on });
  }
  let typedAt = 0;

  function onMessage(m: Message, live: boolean, relay: boolean) {
    if (m.author === 'agent' && state.agentTyping) agentTyping(false);
    if (relay) bus.post({ kind: 'message', message: m });
    if (state.messages.some((x) => x.id === m.id)) return;
    const messages = [...state.messages, m].sort((a, b) => a.seq - b.seq);
    let pending = state.pending;
    if (m.author === 'visitor') {
      // The stream can beat the sync answer: the first pending message with this text is this one.
      const i = pending.findIndex((p) => p.text === m.text && p.status === 'pending');
      if (i >= 0) pending = pending.filter((_, j) => j !== i);
    }
    const before = state.unread;
    const unread = live && m.author === 'agent' && !state.open ? state.unread + 1 : state.unread;
    set({ messages, pending, unread });
    liveIfNeeded();
    // agentName (CONTRACT §3/§6): the agent's own name once accounts send it, until then the site's name.
    const agentName = m.author === 'agent' ? m.agentName || state.config?.name || undefined : undefined;
    emitter.emit('message', { id: m.id, conversationId: m.conversationId, author: m.author, ...(agentName ? { agentName } : {}), text: m.text, createdAt: m.createdAt });
    if (unread !== before) emitter.emit('unread', unread);
  }

  /**
   * The resume cursor moves only for what the stream or the history delivered: a /v1/sync answer's seq
   * may jump past an agent reply committed just before it, which a reconnect would then skip.
   */
  function advance(seq: number) {
    if (seq > lastSeq) { lastSeq = seq; background(saveIdentity(kv, siteId, { lastSeq })); }
  }

  /**
   * The live stream only matters once there is a conversation (agents answer, they don't start one) or
   * the chat is open: a visitor who never chats holds no connection and costs the page no request.
   * Any message seen, sent, loaded or relayed from another tab starts it (so every tab queues for the
   * stream lock and one takes over when the streaming tab closes).
   */
  function liveIfNeeded() {
    if (isStarted && state.contact && (state.open || state.messages.length || state.pending.length)) stream.start();
  }

  function onContact(c: Contact, relay: boolean) {
    if (relay) bus.post({ kind: 'contact', contact: c });
    const prev = state.contact;
    set({ contact: c, storedType: c.type });
    // The public contact is kept so that a repeated identify can answer without a request.
    background(saveIdentity(kv, siteId, { contactId: c.id, type: c.type, contact: toPublicContact(c) }));
    if (prev && JSON.stringify(prev) !== JSON.stringify(c)) emitter.emit('contact', toPublicContact(c));
    if (prev && prev.id !== c.id) {
      // Merged into a customer: show the whole history and follow the surviving contact live.
      void loadHistory();
      stream.stop();
      stream.start();
    }
    session.resolve(c);
  }

  /** The latest contact, once a session exists. */
  const current = () => session.promise.then(() => state.contact!);

  function onResult(r: SyncResult) {
    const p = state.pending.find((x) => x.eventId === r.id);
    if (r.message) onMessage(r.message, false, false);
    if (r.status === 'rejected') emitter.emit('error', resultError(r)); // the host's error channel
    if (!p) return;
    if (r.status === 'rejected') {
      const pending = state.pending.map((x) => (x === p ? { ...x, status: 'failed' as const, error: resultError(r).message } : x));
      set({ pending });
    } else {
      set({ pending: state.pending.filter((x) => x !== p) });
    }
  }

  /** Never rejects: offline, the history is fetched again later. */
  async function loadHistory() {
    const gen = generation;
    try {
      const items = await client.history(await token.promise, 0);
      if (gen !== generation) return;
      const known = new Set(items.map((m) => m.id));
      const messages = [...items, ...state.messages.filter((m) => !known.has(m.id))].sort((a, b) => a.seq - b.seq);
      set({ messages });
      liveIfNeeded();
      advance(items.reduce((n, m) => Math.max(n, m.seq), 0)); // the history's own items, not sync answers held in state
    } catch (err) {
      // Offline: the history is fetched again on `online`; the stream catches up meanwhile.
    }
  }

  let preread = deps.config;
  /** Never rejects: a failure is kept in state and retried on open. */
  async function loadConfig() {
    try {
      const pre = preread as SiteConfig | undefined; // the server's own answer, baked into widget.js (or none)
      preread = undefined; // used once: a later reload (after a failure) asks the server
      set({ config: pre || await client.getConfig(), configFailed: false });
    } catch (err) {
      // The config is a simple GET, so it is the one request whose refusal a disallowed origin can read.
      const fatal = fatalError(err, where);
      set({ configFailed: true });
      if (fatal) fail(fatal);
    }
  }

  /**
   * Stop for good and say so (CONTRACT §3): the host's `error` event, one console warning for the site
   * owner, waiting calls rejected and queued messages shown as not sent — never "Sending…" for ever.
   */
  function fail(e: HostError) {
    if (failed) return;
    failed = e;
    const reason = toRejection(e);
    stream.stop();
    outbox.stop();
    // what was queued here will never be accepted: the messages show as not sent instead (storage gone: forgotten anyway)
    outbox.clear(reason).catch(() => undefined);
    session.reject(reason);
    token.reject(reason); // a flush or stream waiting for a token ends now instead of hanging
    set({ failure: e, pending: state.pending.map((p) => ({ ...p, status: 'failed' as const })) });
    emitter.emit('error', reason); // an Error with code and message, like a rejected event's
    if (!warned) { warned = true; console.warn(fixHint(e, where)); }
  }

  /** Resume the stored session or start one; one tab at a time so ten tabs share one guest. */
  async function establishOnce(): Promise<{ contact: Contact; created: boolean }> {
    return withLock('chative:' + siteId + ':session', async () => {
      const id = await loadIdentity(kv, siteId);
      if (id?.token && id.token !== refused) {
        try {
          const { contact } = await client.resumeSession(id.token, deps.timezone?.(), deps.locale);
          adopt(id.token, id.lastSeq || 0);
          return { contact, created: false };
        } catch (err) {
          if (!(err instanceof WidgetError && err.status === 401)) throw err;
          refused = id.token; // revoked or unknown: forget it and start over as a new guest
        }
      }
      const created = await client.startSession(deps.timezone?.(), deps.locale);
      await kv.set(identityKey(siteId), { token: created.token!, contactId: created.contact.id, type: created.contact.type, lastSeq: 0 });
      adopt(created.token!, 0);
      return { contact: created.contact, created: true };
    });
  }

  function adopt(t: string, seq: number) {
    if (currentToken === t) { lastSeq = Math.max(seq, lastSeq); return; }
    if (currentToken) token = deferred<string>(); // the stored token was refused: hand out the new one
    token.resolve(t);
    currentToken = t;
    lastSeq = seq;
  }

  function establish(): Promise<void> {
    if (establishing) return establishing;
    const gen = generation;
    establishing = (async () => {
      for (let attempt = 0; gen === generation && !failed; attempt++) {
        try {
          const { contact, created } = await establishOnce();
          if (gen !== generation) return;
          const first = !state.contact;
          onContact(contact, false);
          if (first) emitter.emit('ready', toPublicContact(contact));
          // A guest made just now has no history: one request and render fewer at every first visit.
          if (!created) await loadHistory();
          liveIfNeeded();
          void outbox.flush();
          return;
        } catch (err) {
          const fatal = fatalError(err, where) || await probe(err);
          if (fatal) return fail(fatal);
          if (failed) return;
          await waitOnline(backoffDelay(attempt, 1000, 30_000));
        }
      }
    })().finally(() => { establishing = null; });
    return establishing;
  }

  let reachable = false;
  /**
   * A session request that failed unread (a refused CORS preflight looks like being offline): ask the config,
   * a simple GET whose refusal a disallowed origin can read. widget.js came with the config, so this is
   * the first time the server judges this page's origin.
   */
  async function probe(err: unknown): Promise<HostError | null> {
    if (reachable || (err as WidgetError).status !== 0) return null;
    try {
      await client.getConfig();
      reachable = true; // the origin is allowed: later failures are the network's
    } catch (e) {
      return fatalError(e, where);
    }
    return null;
  }

  function waitOnline(ms: number) {
    return new Promise<void>((resolve) => {
      const done = () => { clearTimeout(t); removeEventListener('online', done); resolve(); };
      const t = setTimeout(done, ms);
      addEventListener('online', done);
    });
  }

  async function renewSession() {
    refused = currentToken;
    currentToken = null;
    token = deferred<string>();
    session = deferred<Contact>();
    await establish();
  }

  /** Boot: identity from storage first (so an offline reload still works), then the server. */
  async function boot() {
    const gen = generation;
    void loadConfig();
    const id = await loadIdentity(kv, siteId);
    const queued = await outbox.pending();
    if (gen !== generation) return;
    if (id?.token) { token.resolve(id.token); currentToken = id.token; lastSeq = id.lastSeq || 0; }
    set({
      storedType: id?.type || null,
      pending: queued.filter((e) => e.type === 'message').map((e) => ({ eventId: e.id, text: (e as { text: string }).text, status: 'pending' as const })),
      identifying: queued.filter(hidesForm).length,
    });
    outbox.start();
    void outbox.flush();
    await establish();
  }

  function start(): Promise<void> {
    if (!isStarted) { isStarted = true; bus.open?.(); started.resolve(); background(boot()); }
    return started.promise;
  }

  /** Forget the visitor in this tab's memory (storage is cleared by reset itself). */
  async function wipe() {
    generation++;
    stream.stop();
    outbox.stop();
    await outbox.clear(apiError('reset', 'Chative.reset() was called'));
    token = deferred<string>();
    session = deferred<Contact>();
    started = deferred<void>();
    currentToken = null;
    refused = null;
    failed = null;
    isStarted = false;
    establishing = null;
    lastSeq = 0;
    set(fresh());
  }

  const hidesForm = (e: OutboxEvent) => e.type === 'lead' || e.type === 'identify' || (e.type === 'update' && !!e.name && !!(e.email || e.phone));

  /** A host call that needs the contact is an interaction: it starts the session (consent mode: on open). */
  const interact = () => { if (!deps.consent) void start(); return started.promise; };

  async function enqueue(event: OutboxEvent): Promise<SyncResult> {
    await interact();
    if (failed) throw toRejection(failed);
    const counts = hidesForm(event);
    if (counts) set({ identifying: state.identifying + 1 });
    try {
      return await outbox.enqueue(event);
    } finally {
      if (counts) set({ identifying: Math.max(0, state.identifying - 1) });
    }
  }

  globalThis.addEventListener?.('online', () => { // none in unit tests
    if (!isStarted) return;
    void outbox.flush();
    if (state.contact) void loadHistory();
  });

  function send(text: string) {
    const body = text.trim();
    if (!body) return;
    const eventId = newEventId();
    set({ pending: [...state.pending, { eventId, text: body, status: failed ? 'failed' : 'pending' }] });
    if (failed) return;
    liveIfNeeded();
    // A rejection is shown on the message itself (onResult), so the promise needs no handler here.
    enqueue({ id: eventId, type: 'message', text: body }).catch(() => undefined);
  }

  return {
    getState: () => state,
    subscribe(fn: () => void) { subscribers.add(fn); return () => subscribers.delete(fn); },
    on: emitter.on,
    off: emitter.off,
    start,
    async identify(args: IdentifyArgs) {
      // The host repeats the same verified identify on every page: answer it from storage, no request.
      // (Consent mode before the open: not even a read — opening the database may create it.)
      const key = !deps.consent || isStarted ? await identifyKey(args) : null;
      const stored = key ? await loadIdentity(kv, siteId) : undefined;
      if (key && stored?.token && stored.identified === key && stored.contact?.type === 'customer') return stored.contact;
      await enqueue({ id: newEventId(), type: 'identify', ...args });
      const contact = toPublicContact(await current());
      if (key) await saveIdentity(kv, siteId, { identified: key, contact });
      return contact;
    },
    async update(args: UpdateArgs) {
      await enqueue({ id: newEventId(), type: 'update', ...args });
      return toPublicContact(await current());
    },
    /** The pre-chat form: on rejection the form comes back as typed, with the server's words by field. */
    async submitLead(fields: UpdateArgs, values?: FormValues) {
      set({ formError: null, formIssues: {}, formValues: values || null });
      try {
        await enqueue({ id: newEventId(), type: 'lead', ...fields });
        set({ formValues: null }); // accepted: the typed details need not stay in memory
      } catch (err) {
        set({ formError: (err as Error).message, formIssues: fieldIssues((err as { issues?: ServerIssue[] }).issues) });
      }
    },
    send,
    /** The visitor is typing: tell the agents, at most once per 3 s, only within a session. */
    typing() {
      const now = Date.now();
      if (!currentToken || now - typedAt < 3000) return;
      typedAt = now;
      client.typing(currentToken).catch(() => undefined); // a lost signal only hides "typing…" sooner
    },
    retry(eventId: string) {
      const p = state.pending.find((x) => x.eventId === eventId);
      if (!p) return;
      set({ pending: state.pending.filter((x) => x !== p) });
      send(p.text);
    },
    open() {
      if (state.open) return;
      set({ open: true, unread: 0 });
      emitter.emit('unread', 0);
      emitter.emit('open');
      void start();
      liveIfNeeded();
      if (state.configFailed) void loadConfig();
    },
    close() {
      if (!state.open) return;
      set({ open: false });
      emitter.emit('close');
    },
    /** Read the public config again (the loader's read failed): no session, no storage. */
    refreshConfig: () => loadConfig(),
    /** Start only when this browser holds a conversation (a message seen, or one waiting to be sent). */
    async resumeIfChatted() {
      const id = await loadIdentity(kv, siteId);
      if (id?.token && (id.lastSeq > 0 || (await outbox.pending()).length)) void start();
    },
    async getContact() {
      await interact();
      return toPublicContact(await current());
    },
    async reset() {
      const old = currentToken;
      await wipe();
      if (old) await client.endSession(old).catch(() => undefined); // offline: the token is forgotten locally anyway
      await kv.clear();
      bus.post({ kind: 'reset' });
      if (state.open) void start(); // otherwise the next guest is made at their first interaction
    },
  };
}
