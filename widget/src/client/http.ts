// One thin function per widget endpoint (docs/PROTOCOL.md); the visitor token only ever travels
// in the Authorization header.
import {
  siteConfigSchema, sessionSchema, historySchema, syncResponseSchema, errorResponseSchema,
  type Message, type Guard,
} from '../contract/schemas';
import type { OutboxEvent } from '../contract/events';

/** A failed request: `status` 0 means the network failed (offline, CORS, DNS). */
export class WidgetError extends Error {
  // `declare` + assignment, not parameter properties: those become class fields, which es2020 output
  // emulates with four defineProperty helpers (~0.3 KB gzip in the window's module).
  declare status: number;
  declare code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const text = q.toString();
  return text ? '?' + text : '';
}

export type Client = ReturnType<typeof createClient>;

export function createClient(origin: string, siteId: string, fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  async function call<T>(path: string, schema: Guard<T> | null, init: RequestInit & { token?: string } = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (init.body) headers['content-type'] = 'application/json';
    if (init.token) headers.authorization = 'Bearer ' + init.token;
    let res: Response;
    try {
      res = await fetchImpl(origin + path, { ...init, headers, credentials: 'omit' });
    } catch (err) {
      throw new WidgetError(0, 'network_error', 'The chat server cannot be reached right now.');
    }
    const body = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const error = errorResponseSchema(body)?.error || { code: 'http_' + res.status, message: 'Request failed (' + res.status + ')' };
      throw new WidgetError(res.status, error.code, error.message || error.code);
    }
    if (!schema) return undefined as T;
    const parsed = schema(body);
    if (!parsed) throw new WidgetError(res.status, 'bad_response', 'The chat server sent an unexpected answer.');
    return parsed;
  }
  const json = (method: string, body: unknown, token?: string) => ({ method, body: JSON.stringify(body), token });

  return {
    origin,
    siteId,
    getConfig: () => call('/v1/sites/' + encodeURIComponent(siteId) + '/config', siteConfigSchema),
    startSession: (timezone?: string, locale?: string) =>
      call('/v1/sessions', sessionSchema, json('POST', { siteId, timezone, locale })),
    resumeSession: (token: string, timezone?: string, locale?: string) =>
      call('/v1/session' + query({ timezone, locale }), sessionSchema, { token }),
    endSession: (token: string) => call('/v1/session', null, { method: 'DELETE', token }),
    typing: (token: string) => call('/v1/typing', null, { method: 'POST', token }),
    sync: (token: string, events: OutboxEvent[]) => call('/v1/sync', syncResponseSchema, json('POST', { events }, token)),
    /** Every message after `after`, following nextCursor until the end. */
    async history(token: string, after = 0): Promise<Message[]> {
      const all: Message[] = [];
      for (let cursor: string | null | undefined = String(after); cursor != null;) {
        const page: { items: Message[]; nextCursor?: string | null } = await call('/v1/messages?after=' + cursor + '&limit=200', historySchema, { token });
        all.push(...page.items);
        cursor = page.items.length ? page.nextCursor : null;
      }
      return all;
    },
  };
}
