// Wires the services together once per app (createX factories, no singletons).
import type { Bus } from '../live/bus.js';
import type { RateLimiter } from '../http/rate-limit.js';
import type { Store } from '../storage/store.js';
import { createChangeBus } from './changes.js';
import { createContactService } from './contacts.js';
import { createConversationService } from './conversations.js';
import { createSettingsService } from './settings.js';
import { createGroupCommit } from './group-commit.js';
import { createIdempotencyService } from './idempotency.js';
import { createSyncService } from './sync.js';
import { createAccounts } from './accounts.js';
import { recordActivity } from './activity.js';
import { createPresence } from './presence.js';
import { createJobService, DEFAULT_LEASE_MS } from './jobs.js';
import { createImportLeases } from './import-leases.js';
import { registerBulkJobs } from './bulk.js';
import { createSchedule } from './schedule.js';
import { createWebhookService } from './webhooks.js';
import { createRuleService } from './rules.js';
import { createEraseService } from './erase.js';
import { createImportService } from './imports.js';
import { createManualMerge } from './manual-merge.js';
import { createRetention } from './retention.js';

export type Services = Awaited<ReturnType<typeof createServices>>;

/** Async: the site settings are loaded (or created) from the store first. */
export async function createServices(deps: { store: Store; hub: Bus; limiter: RateLimiter; envSecret?: string; keepAliveMs?: number; jobLeaseMs?: number }) {
  const { store, hub } = deps;
  const settings = await createSettingsService(store, { envSecret: deps.envSecret, onSaved: () => hub.invalidate('settings') });
  hub.onInvalidate('settings', () => settings.reload());
  // every contact change and new message, reported inside its transaction (activity, rules, webhooks listen)
  const changes = createChangeBus();
  const contacts = createContactService({ hub, settings, changes });
  const conversations = createConversationService({ hub, changes });
  const sync = createSyncService({ contacts, conversations });
  // issue 11: every contact change is recorded with its actor, in its own transaction (first listener)
  recordActivity(changes);
  const presence = createPresence(hub);
  const accounts = createAccounts({ store, hub, limiter: deps.limiter, presence });
  // durable background jobs (bulk actions; imports register their kind here too), resumed once every kind is registered
  const jobs = createJobService({ store, leaseMs: deps.jobLeaseMs });
  // after the other listeners: deliveries report what the unit changed, rules' changes included
  const webhooks = createWebhookService({ store, changes });
  const schedule = createSchedule(store);
  // registered after webhooks: a rule's own changes re-enter the bus, so webhooks report them as well
  const rules = createRuleService({ store, changes, contacts, conversations, webhooks, schedule });
  const erase = createEraseService({ store, hub, changes });
  registerBulkJobs(jobs, contacts, erase, changes);
  // resumed once every job kind is registered
  void jobs.resume();
  // an import runs in this instance's memory: its lease keeps other instances' recovery off it (issue 14)
  const importLeases = createImportLeases({ store, owner: jobs.owner, leaseMs: deps.jobLeaseMs ?? DEFAULT_LEASE_MS });
  const imports = createImportService({ store, contacts, changes, settings, leases: importLeases });
  await imports.recover();
  const mergeContacts = createManualMerge({ hub, contacts, changes });
  const retention = createRetention({ store, settings, erase, schedule });
  return { erase, imports, mergeContacts, retention, jobs, store, hub, limiter: deps.limiter, settings, changes, contacts, conversations, sync, groupCommit: createGroupCommit(store, { published: 'delivered' in hub && typeof hub.delivered === 'function' ? () => (hub.delivered as () => Promise<void>)() : undefined }), idempotency: createIdempotencyService(store), keepAliveMs: deps.keepAliveMs ?? 20_000, presence, accounts, schedule, webhooks, rules };
}
