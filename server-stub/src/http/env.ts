// The Hono environment shared by routes: the node request (for the peer address) and the visitor token.
import type { IncomingMessage } from 'node:http';
import type { TokenRecord } from '../storage/store.js';

export type AppEnv = {
  Bindings: { incoming?: IncomingMessage };
  Variables: { token: TokenRecord };
};
