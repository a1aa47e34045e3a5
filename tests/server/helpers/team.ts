// A team for tests (issue 11): browsers with their own cookie jar, the first owner made through the real setup
// endpoint, teammates invited and accepted through the API, and cheap extra sessions made in the store.
import { randomBytes } from 'node:crypto';
import { hashToken } from '../../../server-stub/src/services/ids.js';
import type { Store } from '../../../server-stub/src/storage/store.js';

type Fetcher = (path: string, init?: RequestInit) => Promise<Response> | Response;
export type Answer = { status: number; json: any; text: string; headers: Headers };

export const PASSWORD = 'correct horse battery';

/** One browser: keeps the `chative_session` cookie it is given and sends it with the console's Origin. */
export function browser(fetcher: Fetcher, origin: string) {
  let cookie: string | undefined;
  const b = {
    get cookie() {
      return cookie;
    },
    set cookie(v: string | undefined) {
      cookie = v;
    },
    /** `headers` win over the defaults (set `origin: ''` to send none). */
    async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
      const h: Record<string, string> = { origin, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie: `chative_session=${cookie}` } : {}), ...headers };
      if (h.origin === '') delete h.origin;
      const res = await fetcher(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
      const set = res.headers.get('set-cookie');
      const m = set && /chative_session=([^;]*)/.exec(set);
      if (m) cookie = m[1] || undefined;
      const text = await res.text();
      let json: any = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { status: res.status, json, text, headers: res.headers };
    },
  };
  return b;
}
export type Browser = ReturnType<typeof browser>;

/** Makes the owner through POST /v1/setup (with a fresh setup token) and answers their signed-in browser. */
export async function setupOwner(app: { services: { accounts: { prepare(env: object): Promise<{ setupToken?: string } | null> } } }, fetcher: Fetcher, origin: string, email = 'owner@example.com') {
  const prepared = await app.services.accounts.prepare({});
  if (!prepared?.setupToken) throw new Error('the team is already set up');
  const owner = browser(fetcher, origin);
  const r = await owner.call('POST', '/v1/setup', { token: prepared.setupToken, name: 'Olga Owner', email, password: PASSWORD });
  if (r.status !== 201) throw new Error(`setup failed ${r.status} ${r.text}`);
  return { owner, ownerAgent: r.json.agent };
}

/** Invites `email` with `role` as `by` and accepts in a fresh browser. */
export async function addTeammate(by: Browser, fetcher: Fetcher, origin: string, name: string, email: string, role: 'owner' | 'admin' | 'agent') {
  const inv = await by.call('POST', '/v1/agents', { name, email, role });
  if (inv.status !== 201) throw new Error(`invite failed ${inv.status} ${inv.text}`);
  const token = new URL(inv.json.invite.url.replace('#/', '')).searchParams.get('token')!;
  const b = browser(fetcher, origin);
  const acc = await b.call('POST', '/v1/invites/accept', { token, password: PASSWORD });
  if (acc.status !== 200) throw new Error(`accept failed ${acc.status} ${acc.text}`);
  return { browser: b, agent: acc.json.agent, inviteToken: token };
}

/** A session made straight in the store (no scrypt): for tests that need many. Answers the cookie value. */
export async function storeSession(store: Store, agentId: string): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const at = new Date().toISOString();
  await store.write((tx) => tx.createAgentSession({ hash: hashToken(id), agentId, createdAt: at, lastSeenAt: at }));
  return id;
}
