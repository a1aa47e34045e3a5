// Wires the services together once per app (createX factories, no singletons).
import type { Hub } from '../live/hub.js';
import type { RateLimiter } from '../http/rate-limit.js';
import type { Store } from '../storage/store.js';
import { createContactService } from './contacts.js';
import { createConversationService } from './conversations.js';
import { createSettingsService } from './settings.js';
import { createGroupCommit } from './group-commit.js';
import { createIdempotencyService } from './idempotency.js';
import { createSyncService } from './sync.js';

export type Services = ReturnType<typeof createServices>;

export function createServices(deps: { store: Store; hub: Hub; limiter: RateLimiter; envSecret?: string; keepAliveMs?: number }) {
  const { store, hub } = deps;
  const settings = createSettingsService(store, { envSecret: deps.envSecret });
  const contacts = createContactService({ store, hub, settings });
  const conversations = createConversationService({ store, hub });
  const sync = createSyncService({ store, contacts, conversations });
  return { store, hub, limiter: deps.limiter, settings, contacts, conversations, sync, groupCommit: createGroupCommit(store), idempotency: createIdempotencyService(store), keepAliveMs: deps.keepAliveMs ?? 20_000 };
}
