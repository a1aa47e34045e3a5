// The Hono environment shared by routes: the node request (for the peer address) and the visitor token.
import type { IncomingMessage } from 'node:http';
import type { Actor } from '../services/changes.js';
import type { TokenRecord } from '../storage/store.js';

export type AppEnv = {
  Bindings: { incoming?: IncomingMessage };
  /** `actor`: who an agent-side request acts as (set by agentAuth; recorded on every change it makes). `trustProxy`: CHATIVE_TRUST_PROXY (client-ip.ts). */
  Variables: { token: TokenRecord; actor: Actor; trustProxy?: number };
};
