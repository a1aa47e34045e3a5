// One fetch wrapper for the agent API: Bearer token, JSON in/out, one error type.

export type Issue = { path: (string | number)[]; message: string };

/** An agent-API error answer ({"error":{code,message,issues}}) or a network failure (status 0). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly issues: Issue[] = []) {
    super(message);
  }
}

/** `meta.status` is filled in with the answer's status, for the calls whose 200 and 201 mean different things. */
export type Http = <T>(method: string, path: string, body?: unknown, meta?: { status: number }) => Promise<T>;

/** Creates the client every resource module uses; `onUnauthorized` sends the agent back to sign-in. */
export function createHttp(token: string, onUnauthorized: () => void = () => {}, fetchFn: typeof fetch = fetch): Http {
  return async function http<T>(method: string, path: string, body?: unknown, meta?: { status: number }): Promise<T> {
    let res: Response;
    try {
      res = await fetchFn(path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network_error', 'Cannot reach the Chative server. Check that it is running, then try again.');
    }
    if (meta) meta.status = res.status;
    if (res.status === 401) onUnauthorized();
    if (res.status === 204) return undefined as T;
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const e = data?.error ?? {};
      throw new ApiError(res.status, e.code ?? 'http_' + res.status, e.message ?? `The server answered ${res.status}.`, e.issues ?? []);
    }
    return data as T;
  };
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
