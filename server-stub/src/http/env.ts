// The Hono environment shared by routes: the node request (for the peer address) and the visitor token.
import type { IncomingMessage } from 'node:http';
import type { Actor } from '../services/changes.js';
import type { AgentRecord, Role, TokenRecord } from '../storage/store.js';

/** Who is calling the agent API (issue 11): a signed-in agent (session cookie), an API token, or CHATIVE_AGENT_TOKEN. */
export type Caller = { role: Role; actor: Actor; agent: AgentRecord | null; via: 'session' | 'api-token' | 'env-token'; sessionHash?: string; tokenAuthor?: string | null };

export type AppEnv = {
  Bindings: { incoming?: IncomingMessage };
  /** `actor`: who an agent-side request acts as (set by teamAuth; recorded on every change it makes). `caller`: its role. `trustProxy`: CHATIVE_TRUST_PROXY (client-ip.ts). */
  Variables: { token: TokenRecord; actor: Actor; caller: Caller; trustProxy?: number };
};
