// One thin function per widget endpoint (docs/PROTOCOL.md); the visitor token only ever travels
// in the Authorization header.
import type { ErrorBody, History, Message, Session, SiteConfig, SyncResponse } from '../contract/schemas';
import type { OutboxEvent } from '../contract/events';

/** A failed request: `status` 0 means the network failed (offline, CORS, DNS). */
export class WidgetError extends Error {
  // `declare` + assignment, not parameter properties: those become class fields, which es2020 output
  // emulates with four defineProperty helpers (~0.3 KB gzip in the window's module).
  declare status: number;
  declare code: string;
  /** Without the server's words, the code is the message: these failures are retried, never shown (docs/WIDGET.md). */
  constructor(status: number, code: string, message = code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export type Client = ReturnType<typeof createClient>;

export function createClient(origin: string, siteId: string, fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  async function call<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (init.body) headers['content-type'] = 'application/json';
    if (init.token) headers.authorization = 'Bearer ' + init.token;
    let res: Response;
    try {
      res = await fetchImpl(origin + path, { ...init, headers, credentials: 'omit' });
    } catch (err) {
      throw new WidgetError(0, 'network_error'); // offline, DNS, or a refused CORS preflight
    }
    if (res.status === 204) return undefined as T;
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      // a proxy's error page has no {error}: the status names it
      const error: Partial<ErrorBody> = body?.error || {};
      throw new WidgetError(res.status, error.code || 'http_' + res.status, error.message || 'Request failed (' + res.status + ')');
    }
    if (!body) throw new WidgetError(res.status, 'bad_response');
    return body;
  }
  const json = (method: string, body: unknown, token?: string) => ({ method, body: JSON.stringify(body), token });

  return {
    origin,
    getConfig: () => call<SiteConfig>('/v1/sites/' + encodeURIComponent(siteId) + '/config'),
    startSession: (timezone?: string, locale?: string) =>
      call<Session>('/v1/sessions', json('POST', { siteId, timezone, locale })),
    resumeSession: (token: string, timezone?: string, locale?: string) =>
      call<Session>('/v1/session?' + new URLSearchParams(Object.entries({ timezone, locale }).filter((e) => e[1]) as string[][]), { token }),
    endSession: (token: string) => call<void>('/v1/session', { method: 'DELETE', token }),
    typing: (token: string) => call<void>('/v1/typing', { method: 'POST', token }),
    sync: (token: string, events: OutboxEvent[]) => call<SyncResponse>('/v1/sync', json('POST', { events }, token)),
    /** Every message after `after`, following nextCursor until the end. */
    async history(token: string, after = 0): Promise<Message[]> {
      const all: Message[] = [];
      for (let cursor: string | null | undefined = String(after); cursor != null;) {
        const page: History = await call('/v1/messages?after=' + cursor + '&limit=200', { token });
        all.push(...page.items);
        cursor = page.items.length ? page.nextCursor : null;
      }
      return all;
    },
  };
}
