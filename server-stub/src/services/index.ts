// Wires the services together once per app (createX factories, no singletons).
import type { Hub } from '../live/hub.js';
import type { RateLimiter } from '../http/rate-limit.js';
import type { Store } from '../storage/store.js';
import { createChangeBus } from './changes.js';
import { createContactService } from './contacts.js';
import { createConversationService } from './conversations.js';
import { createSettingsService } from './settings.js';
import { createGroupCommit } from './group-commit.js';
import { createIdempotencyService } from './idempotency.js';
import { createSyncService } from './sync.js';
import { createSchedule } from './schedule.js';
import { createEraseService } from './erase.js';
import { createImportService } from './imports.js';
import { createManualMerge } from './manual-merge.js';
import { createRetention } from './retention.js';
import { createJobService } from './jobs.js';
import { registerBulkJobs } from './bulk.js';

export type Services = Awaited<ReturnType<typeof createServices>>;

/** Async: the site settings are loaded (or created) from the store first. */
export async function createServices(deps: { store: Store; hub: Hub; limiter: RateLimiter; envSecret?: string; keepAliveMs?: number }) {
  const { store, hub } = deps;
  const settings = await createSettingsService(store, { envSecret: deps.envSecret });
  // every contact change and new message, reported inside its transaction (activity, rules, webhooks listen)
  const changes = createChangeBus();
  const contacts = createContactService({ hub, settings, changes });
  const conversations = createConversationService({ hub, changes });
  const sync = createSyncService({ contacts, conversations });
  const erase = createEraseService({ store, hub, changes });
  const imports = createImportService({ store, contacts, changes, settings });
  // merger: with several instances (branch multi), only imports this instance started may be failed here
  await imports.recover();
  const mergeContacts = createManualMerge({ hub, contacts, changes });
  const schedule = createSchedule(store);
  const retention = createRetention({ store, settings, erase, schedule });
  // durable background jobs (bulk actions; imports register their kind here too), resumed once every kind is registered
  const jobs = createJobService({ store });
  registerBulkJobs(jobs, contacts, erase);
  void jobs.resume();
  return { jobs, erase, imports, mergeContacts, retention, store, hub, limiter: deps.limiter, settings, changes, contacts, conversations, sync, groupCommit: createGroupCommit(store), idempotency: createIdempotencyService(store), keepAliveMs: deps.keepAliveMs ?? 20_000, schedule };
}
