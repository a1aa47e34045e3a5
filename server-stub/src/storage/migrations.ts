// Ordered schema migrations; PRAGMA user_version records how many ran. Append only, never edit a shipped one.
import type Database from 'better-sqlite3';
import { searchTerms } from '../domain/search-terms.js';
import { phonePassLine, renormalizePhones } from './renormalize-phones.js';
import { registerConditionFunctions } from './sqlite-cond.js';

export type Migration = string | ((db: Database.Database) => void);

export const MIGRATIONS: Migration[] = [
  `
  CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('guest','lead','customer')),
    name TEXT, email TEXT, phone TEXT, timezone TEXT, locale TEXT,
    customer_id TEXT,
    verified INTEGER NOT NULL DEFAULT 0,
    note TEXT,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    merged_into TEXT,
    possible_duplicate_of TEXT,
    name_lc TEXT, email_lc TEXT, customer_id_lc TEXT
  );
  -- the list order (newest activity first) for live contacts, and per type
  CREATE INDEX contacts_recent ON contacts (last_seen_at DESC, id DESC) WHERE merged_into IS NULL;
  CREATE INDEX contacts_type_recent ON contacts (type, last_seen_at DESC, id DESC) WHERE merged_into IS NULL;
  -- prefix search on lower-cased columns
  CREATE INDEX contacts_name_lc ON contacts (name_lc) WHERE merged_into IS NULL;
  CREATE INDEX contacts_email_lc ON contacts (email_lc) WHERE merged_into IS NULL;
  CREATE INDEX contacts_phone ON contacts (phone) WHERE merged_into IS NULL;
  CREATE INDEX contacts_customer_id_lc ON contacts (customer_id_lc) WHERE merged_into IS NULL;
  -- one verified holder per customer id and site: merges target it
  CREATE UNIQUE INDEX contacts_verified_customer ON contacts (site_id, customer_id) WHERE verified = 1 AND merged_into IS NULL AND customer_id IS NOT NULL;

  CREATE TABLE custom_fields (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('text','number','date','boolean')),
    created_at TEXT NOT NULL
  );
  CREATE TABLE contact_values (
    contact_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (contact_id, key)
  ) WITHOUT ROWID;
  CREATE INDEX contact_values_lookup ON contact_values (key, value, contact_id);

  CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_lc TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  );
  CREATE TABLE contact_tags (
    contact_id TEXT NOT NULL,
    tag_id INTEGER NOT NULL,
    PRIMARY KEY (contact_id, tag_id)
  ) WITHOUT ROWID;
  CREATE INDEX contact_tags_by_tag ON contact_tags (tag_id, contact_id);

  CREATE TABLE tokens (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    site_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE INDEX tokens_contact ON tokens (contact_id);

  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_message_at TEXT NOT NULL,
    last_message_seq INTEGER NOT NULL DEFAULT 0,
    agent_read_seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX conversations_contact ON conversations (contact_id, last_message_at DESC);
  CREATE INDEX conversations_recent ON conversations (last_message_at DESC, id DESC);

  -- seq is the rowid: a global, strictly increasing message id (AUTOINCREMENT: never reused)
  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    author TEXT NOT NULL CHECK (author IN ('visitor','agent')),
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX messages_conversation ON messages (conversation_id, seq);

  -- one row per applied event: (scope, event id) -> the original answer, written in the event's transaction
  CREATE TABLE processed_events (
    scope TEXT NOT NULL,
    event_id TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, event_id)
  ) WITHOUT ROWID;

  CREATE TABLE settings (
    site_id TEXT PRIMARY KEY,
    json TEXT NOT NULL
  );
  `,
  // 2: search indexes cover the id, so a prefix search yields ids without touching the table
  `
  DROP INDEX contacts_name_lc;
  DROP INDEX contacts_email_lc;
  DROP INDEX contacts_phone;
  DROP INDEX contacts_customer_id_lc;
  CREATE INDEX contacts_name_lc ON contacts (name_lc, id) WHERE merged_into IS NULL;
  CREATE INDEX contacts_email_lc ON contacts (email_lc, id) WHERE merged_into IS NULL;
  CREATE INDEX contacts_phone ON contacts (phone, id) WHERE merged_into IS NULL;
  CREATE INDEX contacts_customer_id_lc ON contacts (customer_id_lc, id) WHERE merged_into IS NULL;
  `,
  // 3: word-prefix search (last names, email words) through a term table, backfilled from existing contacts
  (db) => {
    db.exec(`
      CREATE TABLE contact_terms (term TEXT NOT NULL, contact_id TEXT NOT NULL, PRIMARY KEY (term, contact_id)) WITHOUT ROWID;
      CREATE INDEX contact_terms_by_contact ON contact_terms (contact_id, term);
    `);
    const insert = db.prepare('INSERT OR IGNORE INTO contact_terms (term, contact_id) VALUES (?, ?)');
    // paged by rowid: better-sqlite3 cannot write while a read cursor is open
    const page = db.prepare('SELECT rowid AS r, id, name, email, phone, customer_id FROM contacts WHERE rowid > ? AND merged_into IS NULL ORDER BY rowid LIMIT 5000');
    for (let after = 0; ; ) {
      const rows = page.all(after) as { r: number; id: string; name: string | null; email: string | null; phone: string | null; customer_id: string | null }[];
      if (!rows.length) break;
      for (const c of rows) for (const t of searchTerms({ name: c.name, email: c.email, phone: c.phone, customerId: c.customer_id })) insert.run(t, c.id);
      after = rows[rows.length - 1].r;
    }
  },
  // 4: search goes through contact_terms now; these two indexes only cost writes
  `
  DROP INDEX contacts_name_lc;
  DROP INDEX contacts_customer_id_lc;
  `,
  // 5: a tag filter walks its own tag newest-first. contact_tags carries a copy of the contact's
  // last_seen_at, kept equal by triggers, so "tag A and tag B" reads A's rows in list order and probes
  // B, stopping after one page (two common tags at 1M: 57 ms p95 -> see docs/BENCH.md). The old
  // (tag_id, contact_id) index is replaced: the primary key serves the probes, the new one the rest.
  `
  ALTER TABLE contact_tags ADD COLUMN last_seen_at TEXT;
  UPDATE contact_tags SET last_seen_at = (SELECT c.last_seen_at FROM contacts c WHERE c.id = contact_tags.contact_id);
  DROP INDEX contact_tags_by_tag;
  CREATE INDEX contact_tags_recent ON contact_tags (tag_id, last_seen_at DESC, contact_id DESC);
  CREATE TRIGGER contact_tags_fill_seen AFTER INSERT ON contact_tags WHEN NEW.last_seen_at IS NULL BEGIN
    UPDATE contact_tags SET last_seen_at = (SELECT c.last_seen_at FROM contacts c WHERE c.id = NEW.contact_id)
      WHERE contact_id = NEW.contact_id AND tag_id = NEW.tag_id;
  END;
  CREATE TRIGGER contacts_seen_to_tags AFTER UPDATE OF last_seen_at ON contacts WHEN NEW.last_seen_at IS NOT OLD.last_seen_at BEGIN
    UPDATE contact_tags SET last_seen_at = NEW.last_seen_at WHERE contact_id = NEW.id;
  END;
  `,
  // 6: values that lost a merge stay on the survivor as a JSON list of { field, value, from } (domain/merge.ts)
  `ALTER TABLE contacts ADD COLUMN other_details TEXT;`,
  // 7: phones re-read by CONTRACT §1's rule; an unreadable one is kept and its contact id logged
  (db) => {
    const pass = renormalizePhones(db);
    if (pass.checked) console.log(phonePassLine(pass));
  },
  // 8 (issue 15, High 1): a visitor token records the customer id it proved with a valid userHash — trust lives
  // in the token, not in the contact row. Existing tokens prove nothing (rows written before could have been
  // linked by an agent, indistinguishable from a proof): their browsers re-identify once. claimed_customer_id is
  // the id the browser identified as (proved or, verification off, not): the widget shows a customer id only to
  // the browser that claimed it — backfilled for display only. Holder lookups by customer id no longer require
  // verified = 1, so they get their own index.
  `
  ALTER TABLE tokens ADD COLUMN proved_customer_id TEXT;
  ALTER TABLE tokens ADD COLUMN claimed_customer_id TEXT;
  UPDATE tokens SET claimed_customer_id = (SELECT c.customer_id FROM contacts c WHERE c.id = tokens.contact_id);
  CREATE INDEX contacts_customer ON contacts (site_id, customer_id) WHERE merged_into IS NULL AND customer_id IS NOT NULL;
  `,
  // 9 (issue 15): idempotency records are pruned after their retry window (services/idempotency.ts): find old ones by age
  `
  CREATE INDEX processed_events_age ON processed_events (created_at);
  `,
  // issue 11 (team): agent accounts, one-time invites and setup tokens, sessions and API tokens (only hashes of
  // secrets are stored), the activity trail, conversation status/assignee, message authorship, per-agent read marks.
  // team_founded holds one row (id = 1): the owner made by setup or CHATIVE_OWNER_*; two instances racing agree.
  `
  CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_lc TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('owner','admin','agent')),
    password_hash TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    last_active_at TEXT
  );
  CREATE TABLE team_founded (id INTEGER PRIMARY KEY CHECK (id = 1), owner_id TEXT NOT NULL, at TEXT NOT NULL);
  CREATE TABLE setup_tokens (hash TEXT PRIMARY KEY, created_at TEXT NOT NULL);
  CREATE TABLE invites (
    hash TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL REFERENCES agents (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  );
  CREATE INDEX invites_agent ON invites (agent_id);
  CREATE TABLE agent_sessions (
    hash TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL REFERENCES agents (id),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
  );
  CREATE INDEX agent_sessions_agent ON agent_sessions (agent_id);
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner','admin','agent')),
    created_by TEXT,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
  CREATE TABLE activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id TEXT NOT NULL,
    at TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT,
    change TEXT NOT NULL,
    field TEXT,
    from_json TEXT,
    to_json TEXT
  );
  CREATE INDEX activity_contact ON activity (contact_id, id DESC);
  ALTER TABLE conversations ADD COLUMN status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved'));
  ALTER TABLE conversations ADD COLUMN assignee_id TEXT;
  CREATE INDEX conversations_view ON conversations (status, assignee_id, last_message_at DESC, id DESC);
  ALTER TABLE messages ADD COLUMN agent_id TEXT;
  ALTER TABLE messages ADD COLUMN agent_name TEXT;
  CREATE TABLE conversation_reads (
    agent_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (agent_id, conversation_id)
  ) WITHOUT ROWID;
  `,
  // issue 12 part 2: the durable schedule (services/schedule.ts): one row per named task, its last run time; a run is
  // claimed by UPDATE … WHERE last_run_at = <the value read>, so only one instance runs it
  `
  CREATE TABLE schedule_runs (name TEXT PRIMARY KEY, last_run_at TEXT NOT NULL);
  `,
  // issue 12 part 2: webhooks and their durable delivery queue (services/webhooks.ts). A delivery row is written in the
  // transaction of the change it reports; the sender finds due ones by (status, next_attempt_at)
  `
  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    failing_since TEXT,
    disabled_reason TEXT
  );
  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id),
    type TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT,
    last_attempt_at TEXT,
    last_status INTEGER,
    last_error TEXT
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
  CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at, id);
  `,
  // (issue 12, cond) saved segments (CONTRACT §7) and durable background jobs: a job's items are frozen when it
  // starts (job_items, in order) and `done` counts how far the runner got, so a restart resumes where it stopped
  `
  CREATE TABLE segments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    where_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    params TEXT NOT NULL,
    actor TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running','done','failed')),
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]',
    result TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE INDEX jobs_running ON jobs (status) WHERE status = 'running';
  CREATE TABLE job_items (
    job_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
  ) WITHOUT ROWID;
  `,
  // issue 12 part 2: automation rules (services/rules.ts), their run log, the contact.inactive marks (one firing per
  // contact per inactivity spell: the mark holds the lastSeenAt it fired for) and a version the rules cache follows
  `
  CREATE TABLE rules (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    position INTEGER NOT NULL,
    trigger_json TEXT NOT NULL,
    where_json TEXT,
    actions_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE rule_runs (
    id INTEGER PRIMARY KEY,
    rule_id TEXT NOT NULL,
    at TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    trigger_on TEXT NOT NULL,
    matched INTEGER NOT NULL,
    actions_json TEXT NOT NULL
  );
  CREATE INDEX rule_runs_by_rule ON rule_runs (rule_id, id);
  CREATE TABLE rule_inactive_marks (
    rule_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    PRIMARY KEY (rule_id, contact_id)
  );
  CREATE TABLE rules_version (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);
  INSERT INTO rules_version (id, v) VALUES (1, 0);
  `,
  // issue 13 (CONTRACT §9): erase tombstones without personal data, CSV imports with the changes undo walks back,
  // retention runs (the last one's count is shown in Settings)
  `
  CREATE TABLE erased_contacts (id TEXT PRIMARY KEY, site_id TEXT NOT NULL, erased_at TEXT NOT NULL);
  CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    match TEXT NOT NULL,
    dry_run INTEGER NOT NULL,
    status TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    undone_at TEXT
  );
  CREATE TABLE import_changes (
    seq INTEGER PRIMARY KEY,
    job_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    created INTEGER NOT NULL,
    changes TEXT NOT NULL
  );
  CREATE INDEX import_changes_job ON import_changes (job_id, seq);
  CREATE INDEX import_changes_contact ON import_changes (contact_id);
  CREATE TABLE retention_runs (id INTEGER PRIMARY KEY, at TEXT NOT NULL, erased INTEGER NOT NULL);
  `,
  // search (issue 12 at 1M): a custom value's lower-cased copy (JS toLowerCase, written by the store beside the value), so
  // a text condition on a custom field seeks an index instead of calling chative_lower on every row of the field
  (db) => {
    registerConditionFunctions(db);
    db.exec(`
      ALTER TABLE contact_values ADD COLUMN value_lc TEXT;
      UPDATE contact_values SET value_lc = chative_lower(value);
      CREATE INDEX contact_values_folded ON contact_values (key, value_lc, contact_id);
    `);
  },
  // sorted search (issue 12): a sort by a custom number or by name walks an index in the sort order (sort.ts sortWalk)
  // instead of reading and sorting every match. CAST never fails in SQLite, so one index serves every number field;
  // contacts_name_lc comes back (migration 4 dropped it when name search moved to contact_terms)
  `
  CREATE INDEX contact_values_number ON contact_values (key, CAST(value AS REAL), contact_id);
  CREATE INDEX contacts_name_lc ON contacts (name_lc, id) WHERE merged_into IS NULL;
  `,
  // multi (issue 14): a running job's lease — the instance working it and until when (epoch ms); services/jobs.ts claims
  // it with one conditional UPDATE, renews it in every batch's unit, and another instance takes it once it ran out;
  // import_leases: the instance running a CSV import (in its memory) keeps it alive, so others fail only a dead one's
  `
  ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
  ALTER TABLE jobs ADD COLUMN lease_until INTEGER;
  CREATE TABLE import_leases (import_id TEXT PRIMARY KEY, owner TEXT NOT NULL, lease_until INTEGER NOT NULL);
  `,
];
