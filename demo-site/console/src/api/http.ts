// One fetch wrapper for the agent API: the session cookie or a Bearer token, JSON in/out, one error type; every answer is
// safeParsed with the contract's schema, so a server that drifted from it is an error, not a blank screen.
import type { z } from 'zod';

export type Issue = { path: (string | number)[]; message: string };

/** An agent-API error answer ({"error":{code,message,issues}}) or a network failure (status 0). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly issues: Issue[] = []) {
    super(message);
  }
}

/** One call: the answer is checked against `schema` (omit it only for 204 answers); `meta.status` is filled in
 * with the answer's status, for the calls whose 200 and 201 mean different things. */
export type Http = <S extends z.ZodType | undefined = undefined>(
  method: string, path: string, body?: unknown, schema?: S, meta?: { status: number },
) => Promise<S extends z.ZodType ? z.infer<S> : void>;

/** Creates the client every resource module uses; `token` null: the signed-in session's cookie (sent by the
 * browser, same origin); `onUnauthorized` sends the agent back to sign-in. */
export function createHttp(token: string | null, onUnauthorized: () => void = () => {}, fetchFn: typeof fetch = fetch): Http {
  return async function http(method: string, path: string, body?: unknown, schema?: z.ZodType, meta?: { status: number }) {
    let res: Response;
    try {
      res = await fetchFn(path, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network_error', 'Cannot reach the Chative server. Check that it is running, then try again.');
    }
    if (meta) meta.status = res.status;
    if (res.status === 401) onUnauthorized();
    if (res.status === 204) return undefined;
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const e = data?.error ?? {};
      throw new ApiError(res.status, e.code ?? 'http_' + res.status, e.message ?? `The server answered ${res.status}.`, e.issues ?? []);
    }
    if (!schema) return undefined;
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first ? `${first.path.join('.') || '(body)'}: ${first.message}` : 'unknown';
      console.error('Chative console: unexpected answer from', method, path.split('?')[0], parsed.error.issues);
      throw new ApiError(res.status, 'invalid_response', `The server's answer did not match the API contract (${where}).`);
    }
    return parsed.data;
  } as Http;
}

/** Builds `?a=1&b=2`, skipping empty values and repeating array values. */
export function query(params: Record<string, string | number | string[] | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else if (v !== undefined && v !== null && v !== '') q.append(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
