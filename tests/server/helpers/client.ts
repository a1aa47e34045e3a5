// Small request helpers over app.request() or a real URL, so route tests read like the protocol.
type Fetcher = (path: string, init?: RequestInit) => Promise<Response> | Response;

export function createClient(fetcher: Fetcher, agentToken: string) {
  const call = async (method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}) => {
    const res = await fetcher(path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, text, headers: res.headers };
  };
  let n = 0;
  const eventId = () => `ev_${Date.now().toString(36)}_${(n++).toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    call,
    agent: (method: string, path: string, body?: unknown) => call(method, path, body, agentToken),
    async session(body: Record<string, unknown> = { siteId: 'default' }) {
      const r = await call('POST', '/v1/sessions', body);
      if (r.status !== 201) throw new Error(`session failed ${r.status} ${r.text}`);
      return r.json as { token: string; contact: any };
    },
    sync: (token: string, events: Record<string, unknown>[]) => call('POST', '/v1/sync', { events: events.map((e) => ({ id: eventId(), ...e })) }, token),
    eventId,
  };
}
