// The store methods of issue 12 part 2 (the durable schedule, webhooks, rules), merged into store.ts's Reader and
// Tx by declaration merging there, so the engines implement them beside the rest.

export type WebhookRecord = {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  secret: string;
  createdAt: string;
  failingSince: string | null;
  disabledReason: string | null;
};
export type WebhookColumns = Partial<Pick<WebhookRecord, 'url' | 'events' | 'enabled' | 'secret' | 'failingSince' | 'disabledReason'>>;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';
export type DeliveryRecord = {
  /** The webhook-id header. */
  id: string;
  webhookId: string;
  type: string;
  /** The exact JSON body sent (and signed) on every attempt. */
  body: string;
  createdAt: string;
  status: DeliveryStatus;
  attempts: number;
  /** When a pending delivery is due next (a claimed one: when its claim lapses). */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
};
export type DeliveryColumns = Partial<Pick<DeliveryRecord, 'status' | 'attempts' | 'nextAttemptAt' | 'lastAttemptAt' | 'lastStatus' | 'lastError'>>;

/** A rule as stored: trigger, where and actions are JSON texts the rules service parses (and caches by version). */
export type RuleRecord = {
  id: string;
  name: string;
  enabled: boolean;
  position: number;
  triggerJson: string;
  whereJson: string | null;
  actionsJson: string;
  createdAt: string;
  updatedAt: string;
};
export type RuleColumns = Partial<Pick<RuleRecord, 'name' | 'enabled' | 'position' | 'triggerJson' | 'whereJson' | 'actionsJson' | 'updatedAt'>>;
export type RuleRunRecord = { id: number; ruleId: string; at: string; contactId: string; trigger: string; matched: boolean; actionsJson: string };

export interface AutomationReader {
  /** The stored last run time of a scheduled task (ISO), null when it never ran. */
  getScheduleRun(name: string): Promise<string | null>;

  /** Oldest first. */
  listWebhooks(): Promise<WebhookRecord[]>;
  getWebhook(id: string): Promise<WebhookRecord | undefined>;
  /** One webhook's deliveries, newest first, after the cursor (the last row's createdAt and id). */
  listDeliveries(webhookId: string, opts: { before?: { createdAt: string; id: string }; limit: number }): Promise<DeliveryRecord[]>;
  getDelivery(id: string): Promise<DeliveryRecord | undefined>;
  /** Pending deliveries due at `nowIso` whose webhook is enabled, soonest first. */
  dueDeliveries(nowIso: string, limit: number): Promise<DeliveryRecord[]>;
  /** When the next pending delivery of an enabled webhook is due (null: none). */
  nextDeliveryAt(): Promise<string | null>;

  /** Bumped by every rule write: the rules service re-reads its parsed rules only when this moved. */
  rulesVersion(): Promise<number>;
  /** In list order (position, then creation). */
  listRules(): Promise<RuleRecord[]>;
  getRule(id: string): Promise<RuleRecord | undefined>;
  /** A rule's runs, newest first, before run id `beforeId`. */
  listRuleRuns(ruleId: string, opts: { beforeId?: number; limit: number }): Promise<RuleRunRecord[]>;
  /**
   * Live contacts last seen before `beforeIso` that this rule has not fired for in their current inactivity spell
   * (no mark with their current lastSeenAt), oldest first.
   */
  inactiveContacts(ruleId: string, beforeIso: string, limit: number): Promise<{ id: string; lastSeenAt: string }[]>;
}

export interface AutomationTx {
  /**
   * Claims a scheduled task's run: sets its last run time to `now` only while it still is `prev` (null: never ran).
   * Answers whether this caller won; two instances racing for one run cannot both win.
   */
  claimScheduleRun(name: string, prev: string | null, now: string): Promise<boolean>;

  insertWebhook(w: WebhookRecord): Promise<void>;
  updateWebhook(id: string, cols: WebhookColumns): Promise<void>;
  /** Removes the webhook and its deliveries. */
  deleteWebhook(id: string): Promise<void>;
  insertDelivery(d: DeliveryRecord): Promise<void>;
  updateDelivery(id: string, cols: DeliveryColumns): Promise<void>;
  /**
   * Claims a due delivery for one attempt: moves its nextAttemptAt from `due` to `leaseUntil` only while it still is
   * `due` and pending. Answers whether this caller won (another sender, or instance, may have taken it).
   */
  claimDelivery(id: string, due: string, leaseUntil: string): Promise<boolean>;

  insertRule(r: RuleRecord): Promise<void>;
  updateRule(id: string, cols: RuleColumns): Promise<void>;
  /** Removes the rule, its runs and its inactivity marks. */
  deleteRule(id: string): Promise<void>;
  insertRuleRun(run: Omit<RuleRunRecord, 'id'>): Promise<number>;
  /** Records that the rule fired for the contact's inactivity spell that began at `lastSeenAt`. */
  markInactive(ruleId: string, contactId: string, lastSeenAt: string): Promise<void>;
}
