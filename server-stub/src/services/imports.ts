// CSV import as a job (CONTRACT §9): rows applied in small transactions through the contact service (same checks as
// every write, never a merge, never a type downward, never a customerId another contact holds), each change recorded
// per import so undo can put it back; a dry run is the same work rolled back.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { contactPatchSchema } from '../../../widget/src/contract/zod/agent.js';
import { LIMITS } from '../../../widget/src/contract/limits.js';
import { cellValue, unneutralise } from '../domain/csv.js';
import { checkFieldValue, decodeFieldValue, type FieldType } from '../domain/custom-fields.js';
import { nextType } from '../domain/contact-type.js';
import { normalizeEmail } from '../domain/email.js';
import { normalizePhone } from '../domain/phone.js';
import { normalizeTagName, tagKey, tagNameProblem } from '../domain/tags.js';
import { HttpError } from '../http/http-error.js';
import type { ContactColumns, ContactRecord, ImportContact, Store, Tx } from '../storage/store.js';
import { diffContact, Outbox, type Actor, type ChangeBus, type ContactChange } from './changes.js';
import type { ContactService, DetailsInput } from './contacts.js';
import { readRows } from './import-file.js';
import { READ_ONLY_COLUMNS, type ImportMatch } from './import-header.js';
import { DEFAULT_SITE, type SettingsService } from './settings.js';
import type { ImportLeases } from './import-leases.js';

/** Rows read ahead of the writer (parsed cells only: bounded memory whatever the file's size). */
export const IMPORT_BATCH = 500;
/**
 * A write unit stops after this much work (and at least one row), then the import rests as long: the store is one
 * connection on the event loop, so a unit's length is how long a widget sync waits behind it. Bench at 1M (100k rows):
 * 20 ms units 74 s with sync p99 3.6x idle, 8 ms 80.5 s / 2.3x, 5 ms 100.5 s / 1.9x — the sync path wins the trade.
 */
export const IMPORT_UNIT_MS = 5;
/** Errors kept in a result (all are counted): a 200,000-row file of bad rows stays a bounded answer. */
export const MAX_ERRORS = 10_000;

export type ImportError = { row: number; column: string | null; code: string; message: string };
export type ImportResult = { created: number; updated: number; unchanged: number; errors: ImportError[]; errorCount: number };

class RowErrors extends Error {
  constructor(readonly errors: ImportError[]) {
    super('row refused');
  }
}
/** Thrown to roll a savepoint or a dry run's unit back after its work is counted. */
class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('rolled back');
  }
}

/** Columns parseRow reads as contact fields; every other named column is a custom field key. */
const BASIC_IMPORT_COLUMNS = new Set(['tags', 'note', 'name', 'email', 'phone', 'customerId', 'timezone', ...READ_ONLY_COLUMNS]);

type Parsed = { details: DetailsInput & { customerId?: string }; tags: string[]; note?: string };

/** A row's cells as the contact service's input; every cell problem at once, each naming its column. */
function parseRow(row: number, columns: string[], cells: string[], types: Map<string, FieldType>): Parsed {
  const errors: ImportError[] = [];
  const details: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  let tags: string[] = [];
  let note: string | undefined;
  columns.forEach((col, i) => {
    const cell = unneutralise(cells[i] ?? '');
    // an empty cell leaves the value as it is: an import fills and overwrites, it never blanks a field
    if (col === '' || cell.trim() === '' || READ_ONLY_COLUMNS.has(col)) return;
    if (col === 'tags') tags = cell.split(';').map((t) => t.trim()).filter(Boolean);
    else if (col === 'note') {
      if (cell.length > LIMITS.noteChars) errors.push({ row, column: col, code: 'too_long', message: `at most ${LIMITS.noteChars} characters` });
      else note = cell;
    } else if (col === 'name' || col === 'email' || col === 'phone' || col === 'customerId' || col === 'timezone') details[col] = cell.trim();
    else {
      const type = types.get(col);
      if (!type) return void errors.push({ row, column: col, code: 'unknown_field', message: 'this custom field was deleted during the import' });
      const value = cellValue(type, cell);
      const checked = value === undefined ? null : checkFieldValue(type, value);
      if (!checked) errors.push({ row, column: col, code: 'invalid_value', message: `expected ${type === 'boolean' ? 'true/false (or yes/no, 1/0)' : `a ${type}`}` });
      else if (!checked.ok) errors.push({ row, column: col, code: 'invalid_value', message: checked.message });
      else custom[col] = value;
    }
  });
  if (Object.keys(custom).length) details.custom = custom;
  const checked = contactPatchSchema.safeParse(details);
  if (!checked.success) for (const i of checked.error.issues) errors.push({ row, column: String(i.path[0] === 'custom' ? i.path[1] : i.path[0]), code: 'invalid_value', message: i.message });
  if (errors.length) throw new RowErrors(errors);
  return { details: details as Parsed['details'], tags, note };
}

/** An HttpError from the contact service as per-column row errors (the service's `tag` is the file's `tags` column). */
function rowErrorsOf(row: number, err: HttpError): ImportError[] {
  if (!err.issues?.length) return [{ row, column: null, code: err.code, message: err.message }];
  const column = (p: (string | number)[]) => (p[0] === 'custom' ? String(p[1]) : p[0] === 'tag' ? 'tags' : String(p[0] ?? '') || null);
  return err.issues.map((i) => ({ row, column: column(i.path), code: err.code, message: i.message }));
}

/**
 * The match lookups of a unit's next rows in one read (an indexed lookup per row was ~10% of an import's CPU). A key
 * some row of this unit wrote (created or updated a contact holding it) is no longer known: it is looked up again.
 */
type LookAhead = { get(key: string): ContactRecord[] | undefined; wrote(c: ContactRecord): void };
const NO_LOOK_AHEAD: LookAhead = { get: () => undefined, wrote: () => undefined };

/** The stored form a contact's match field is compared in (findContactsBy: email case-insensitively). */
function storedKey(match: ImportMatch, c: ContactRecord): string | null {
  const v = match === 'email' ? c.email : match === 'phone' ? c.phone : c.customerId;
  return v === null ? null : match === 'email' ? v.toLowerCase() : v;
}

async function lookAhead(tx: Tx, match: ImportMatch, columns: string[], rows: { cells: string[] }[]): Promise<LookAhead> {
  // phone keys cost a libphonenumber parse each: computing them twice would cost more than the lookups it saves
  if (match === 'phone') return NO_LOOK_AHEAD;
  const at = columns.lastIndexOf(match);
  const keys = new Set<string>();
  for (const r of rows) {
    const raw = unneutralise(r.cells[at] ?? '').trim();
    const key = !raw ? null : match === 'email' ? normalizeEmail(raw)?.toLowerCase() : raw;
    if (key) keys.add(key);
  }
  if (!keys.size) return NO_LOOK_AHEAD;
  const found = new Map<string, ContactRecord[]>();
  for (const c of await tx.findContactsByAny(match, [...keys])) {
    const key = storedKey(match, c);
    // a contact this grouping cannot place (a stored form other than ours) would read as "no match": look each row up instead
    if (key === null || !keys.has(key)) return NO_LOOK_AHEAD;
    found.set(key, [...(found.get(key) ?? []), c]);
  }
  const written = new Set<string>();
  return {
    get(key) {
      const k = match === 'email' ? key.toLowerCase() : key;
      if (!keys.has(k) || written.has(k)) return undefined;
      // as findContactsBy(…, 2) answers: oldest first, two at most (two already make the row ambiguous)
      return (found.get(k) ?? []).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1)).slice(0, 2);
    },
    wrote(c) {
      const key = storedKey(match, c);
      if (key !== null) written.add(key);
    },
  };
}

/** Consecutive created contacts that share an id prefix (see importContactIds). */
export const IMPORT_ID_GROUP = 16;
const GROUP_DIGITS = '0123456789ABCDEF'; // ascending in byte order, as ids sort (BINARY / COLLATE "C")

/**
 * Ids for one import's new contacts, in the server's id shape (`ct_` + 16 base64url characters): each run of
 * IMPORT_ID_GROUP rows shares a random 10-character prefix, then a position digit, then 5 random characters. A write
 * unit's rows (~10–20) so land on the same page of every index keyed by contact id (contacts, values, tags, terms,
 * activity, import_changes) instead of one random page each, and the unit's COMMIT writes fewer pages (in-process, 5k
 * rows at 100k: CPU per row −30% with one prefix per import). Not one prefix per import: the search planner estimates
 * large totals from the first contacts in id order (domain/conditions/plan.ts), which must stay a fair sample — an
 * import of 100k in one id range would sit wholly inside or outside it. Runs of 16 keep that sample ≥ 600 runs wide.
 */
export function importContactIds(): () => string {
  let prefix = '';
  let n = 0;
  return () => {
    const at = n++ % IMPORT_ID_GROUP;
    if (at === 0) prefix = randomBytes(8).toString('base64url').slice(0, 10);
    return 'ct_' + prefix + GROUP_DIGITS[at] + randomBytes(4).toString('base64url').slice(0, 5);
  };
}

/** UTF-8 byte order: how both engines' `ORDER BY name_lc` (C / BINARY collation) sort a contact's tag names. */
const byStoredName = (a: string, b: string) => Buffer.compare(Buffer.from(a.toLowerCase()), Buffer.from(b.toLowerCase()));

/** A created contact as getContact would read it back, from what createRow wrote; null when a value's type is unknown. */
export function createdRecord(w: ImportContact, possibleDuplicateOf: string | null, tagNames: string[], types: Map<string, FieldType>): ContactRecord | null {
  const custom: ContactRecord['custom'] = {};
  for (const key of Object.keys(w.values).sort()) {
    const type = types.get(key);
    if (!type) return null;
    custom[key] = decodeFieldValue(type, w.values[key]);
  }
  return {
    id: w.id, siteId: w.siteId, type: w.type, name: w.name, email: w.email, phone: w.phone, timezone: w.timezone, locale: w.locale,
    customerId: w.customerId, verified: w.verified, note: w.note, createdAt: w.createdAt, lastSeenAt: w.lastSeenAt, mergedInto: null,
    possibleDuplicateOf, otherDetails: [], custom, tags: tagNames.length > 1 ? [...tagNames].sort(byStoredName) : [...tagNames],
  };
}

export type ImportService = ReturnType<typeof createImportService>;

export function createImportService(deps: { store: Store; contacts: ContactService; changes: ChangeBus; settings: SettingsService; now?: () => string; leases?: ImportLeases }) {
  const { store, contacts, changes, settings } = deps;
  const now = deps.now ?? (() => new Date().toISOString());
  const running = new Map<string, Promise<void>>();

  /** The match key of a row in its stored form (what findContactsBy compares), or a row error naming the column. */
  function matchValue(row: number, match: ImportMatch, p: Parsed): string | null {
    const raw = p.details[match];
    if (!raw) return null;
    if (match === 'email') return normalizeEmail(raw) ?? fail(row, match, 'not a valid email address');
    if (match === 'phone') {
      const r = normalizePhone(raw, { timezone: p.details.timezone ?? null, defaultCountry: settings.get(DEFAULT_SITE).defaultCountry });
      return r.ok ? r.e164 : fail(row, match, r.message);
    }
    return raw;
  }
  const fail = (row: number, column: string, message: string): never => {
    throw new RowErrors([{ row, column, code: 'invalid_value', message }]);
  };

  /**
   * A row no contact matches: the new contact checked by the contact service's own rules (contacts.checkDetails, the
   * customerId holder, tag names and count) and written in one insert, with one change report (`created` and every
   * value) — the same activity, rules and webhooks as insert + patch + addTag + setNote, at a fraction of the statements.
   */
  async function createRow(tx: Tx, out: Outbox, jobId: string, row: number, p: Parsed, ahead: LookAhead, ids: () => string, types: Map<string, FieldType>): Promise<'created'> {
    const at = now();
    const blank: ContactRecord = {
      id: ids(), siteId: DEFAULT_SITE, type: 'guest', name: null, email: null, phone: null, timezone: null, locale: null, customerId: null,
      verified: false, note: null, createdAt: at, lastSeenAt: at, mergedInto: null, possibleDuplicateOf: null, otherDetails: [], custom: {}, tags: [],
    };
    const mine = out.child();
    try {
      const { cols, values } = await contacts.checkDetails(tx, blank, p.details);
      const customerId = p.details.customerId;
      if (customerId) {
        const holder = await tx.findCustomer(DEFAULT_SITE, customerId);
        if (holder) throw new HttpError(409, 'customer_id_taken', `customerId is held by contact ${holder.id}`, [{ path: ['customerId'], message: 'already used by another contact' }]);
      }
      const tags = new Map<string, string>();
      for (const raw of p.tags) {
        const name = normalizeTagName(raw);
        if (!name) {
          const problem = tagNameProblem(raw) ?? `1-${LIMITS.tagChars} characters`;
          throw new HttpError(400, 'validation_failed', `tag: ${problem}`, [{ path: ['tag'], message: problem }]);
        }
        if (!tags.has(tagKey(name))) tags.set(tagKey(name), name);
      }
      if (tags.size > LIMITS.tagsPerContact) throw new HttpError(400, 'validation_failed', `tag: at most ${LIMITS.tagsPerContact} tags per contact`, [{ path: ['tag'], message: 'too many tags' }]);
      await tx.savepoint(async (sp) => {
        const tagIds: number[] = [];
        const tagNames: string[] = [];
        for (const [key, name] of tags) {
          const tag = (await sp.getTagByKey(key)) ?? (await sp.createTag(name, at));
          tagIds.push(tag.id);
          tagNames.push(tag.name);
        }
        const d = { ...blank, ...cols, customerId: customerId ?? null };
        const stored = Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== null));
        const written = {
          id: d.id, siteId: d.siteId, type: nextType('guest', d), name: d.name, email: d.email, phone: d.phone, timezone: d.timezone, locale: null,
          customerId: d.customerId, verified: false, note: p.note ?? null, createdAt: at, lastSeenAt: at, values: stored, tagIds,
        };
        await sp.importContacts([written]);
        const dup = d.email || d.phone ? await sp.findSameDetails(d.id, d.email, d.phone) : undefined;
        if (dup) await sp.updateContact(d.id, { possibleDuplicateOf: dup });
        // the record as written, not read back (a read was ~6% of a row's main-thread time); import-create.test.ts
        // compares it with the stored contact
        const after = createdRecord(written, dup ?? null, tagNames, types) ?? (await sp.getContact(d.id))!;
        ahead.wrote(after);
        mine.push(() => contacts.publishContact(after));
        await changes.emit(sp, mine, [{ contactId: d.id, change: 'created' }, ...diffContact(blank, after)]);
        await sp.recordImportChange({ jobId, contactId: d.id, created: true, changesJson: '[]' });
      });
      out.adopt(mine);
      return 'created';
    } catch (err) {
      if (err instanceof HttpError) throw new RowErrors(rowErrorsOf(row, err));
      throw err;
    }
  }

  /** One row in its own savepoint: a refused row changes nothing; a row that changes nothing leaves no trace. */
  async function applyRow(tx: Tx, out: Outbox, jobId: string, match: ImportMatch, row: number, p: Parsed, ahead: LookAhead, ids: () => string, types: Map<string, FieldType>): Promise<'created' | 'updated' | 'unchanged'> {
    const key = matchValue(row, match, p);
    const found = key === null ? [] : (ahead.get(key) ?? (await tx.findContactsBy(match, key, 2)));
    if (found.length > 1) throw new RowErrors([{ row, column: match, code: 'ambiguous_match', message: `${found.length} or more contacts have this ${match}: merge them first` }]);
    const existing = found[0];
    if (!existing) return createRow(tx, out, jobId, row, p, ahead, ids, types);
    if (existing.customerId && p.details.customerId && p.details.customerId !== existing.customerId)
      throw new RowErrors([{ row, column: 'customerId', code: 'customer_id_conflict', message: 'the matched contact already has another customerId: an import never replaces one' }]);
    const mine = out.child();
    try {
      const outcome = await tx.savepoint(async (sp) => {
        await contacts.patch(sp, existing.id, p.details, mine);
        for (const t of p.tags) await contacts.addTag(sp, existing.id, t, mine);
        if (p.note !== undefined) await contacts.setNote(sp, existing.id, p.note, mine);
        const after = (await sp.getContact(existing.id))!;
        ahead.wrote(after);
        const diff = diffContact(existing, after);
        // nothing changed: undo the lastSeenAt the service stamped, and report no change
        if (!diff.length) throw new Rollback('unchanged' as const);
        await sp.recordImportChange({ jobId, contactId: existing.id, created: false, changesJson: JSON.stringify(diff) });
        return 'updated' as const;
      });
      out.adopt(mine);
      return outcome;
    } catch (err) {
      if (err instanceof Rollback) return err.value as 'unchanged';
      if (err instanceof HttpError) throw new RowErrors(rowErrorsOf(row, err));
      throw err;
    }
  }

  async function run(jobId: string, file: string, columns: string[], match: ImportMatch, dryRun: boolean): Promise<void> {
    const actor: Actor = { kind: 'import', id: jobId };
    const ids = importContactIds();
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0, errors: [], errorCount: 0 };
    const addErrors = (errs: ImportError[]) => {
      result.errorCount += errs.length;
      for (const e of errs) if (result.errors.length < MAX_ERRORS) result.errors.push(e);
    };
    let rows = 0;
    let done = 0;
    let lastUnitMs = 0;
    /** Rows the last unit applied: the next one looks about twice as many up in advance. */
    let lastUnitRows = 0;
    const customColumns = [...new Set(columns.filter((c) => c !== '' && !BASIC_IMPORT_COLUMNS.has(c)))];
    /** Applies the batch in write units of about IMPORT_UNIT_MS each, an event-loop turn between them. */
    const applyBatch = async (batch: { row: number; cells: string[] }[]) => {
      for (let from = 0; from < batch.length; ) {
        // a rest as long as the last unit between units: every unit settles in microtasks, so without it units ran back
        // to back and starved other requests; with one setImmediate turn the import still took most of the event loop
        // (sync p99 ~4x idle at 1M); resting as long as it worked leaves at least half to the syncs (jobs.ts does the same)
        await new Promise((r) => setTimeout(r, Math.min(50, Math.ceil(lastUnitMs))));
        let out = new Outbox(actor);
        const work = async (tx: Tx) => {
          out = new Outbox(actor);
          const started = performance.now();
          // the field types read in the unit that uses them: a field deleted meanwhile is a row error, never a crash
          const types = new Map<string, FieldType>();
          for (const key of customColumns) {
            const f = await tx.getField(key);
            if (f) types.set(key, f.type);
          }
          const counts = { created: 0, updated: 0, unchanged: 0, errors: [] as ImportError[], next: from };
          const ahead = await lookAhead(tx, match, columns, batch.slice(from, from + Math.min(64, Math.max(8, 2 * lastUnitRows))));
          while (counts.next < batch.length && (counts.next === from || performance.now() - started < IMPORT_UNIT_MS)) {
            const { row, cells } = batch[counts.next++];
            try {
              counts[await applyRow(tx, out, jobId, match, row, parseRow(row, columns, cells, types), ahead, ids, types)]++;
            } catch (err) {
              if (!(err instanceof RowErrors)) throw err;
              counts.errors.push(...err.errors);
            }
          }
          lastUnitRows = counts.next - from;
          lastUnitMs = performance.now() - started;
          if (dryRun) throw new Rollback(counts);
          await tx.updateImport(jobId, { done: batch[counts.next - 1].row - 1 });
          return counts;
        };
        let counts;
        try {
          // the COMMIT skips its fsync (it would block the event loop); the log is synced off the main thread before any
          // effect, and the next unit waits for it: that wait is the sync requests' room (jobs.ts)
          counts = await store.write(work, { syncLater: true });
          await store.syncToDisk();
          out.flush();
        } catch (err) {
          if (!(err instanceof Rollback)) throw err;
          counts = err.value as Awaited<ReturnType<typeof work>>;
        }
        result.created += counts.created;
        result.updated += counts.updated;
        result.unchanged += counts.unchanged;
        addErrors(counts.errors);
        done = batch[counts.next - 1].row - 1;
        from = counts.next;
      }
    };
    try {
      let batch: { row: number; cells: string[] }[] = [];
      let header = true;
      for await (const rec of readRows(file)) {
        if (header && rec.row === 1) { header = false; continue; }
        rows++;
        if ('error' in rec) addErrors([{ row: rec.row, column: null, ...rec.error }]);
        else batch.push(rec);
        if (batch.length >= IMPORT_BATCH) {
          await applyBatch(batch);
          batch = [];
        }
      }
      if (batch.length) await applyBatch(batch);
      await store.write((tx) => tx.updateImport(jobId, { status: 'done', done: rows, resultJson: JSON.stringify(result), finishedAt: now() }));
    } catch (err) {
      console.error('import failed', jobId, err instanceof Error ? err.stack : err);
      const failed = { ...result, error: { code: 'import_failed', message: 'the import stopped on a server error; rows before it were applied (undo puts them back)' } };
      await store.write((tx) => tx.updateImport(jobId, { status: 'failed', done, resultJson: JSON.stringify(failed), finishedAt: now() }));
    } finally {
      rmSync(file, { force: true });
    }
  }

  /** Puts one recorded change set back where its values are still what the import wrote (a later edit wins). */
  async function revert(tx: Tx, contactId: string, recorded: ContactChange[], out: Outbox): Promise<boolean> {
    const c = await tx.getContact(contactId);
    if (!c || c.mergedInto) return false;
    const cols: ContactColumns = {};
    const values: Record<string, string | null> = {};
    for (const ch of recorded) {
      if (ch.change === 'field' && ch.field && (c as Record<string, unknown>)[ch.field] === ch.to) {
        if (ch.field === 'customerId') {
          const holder = ch.from ? await tx.findCustomer(c.siteId, ch.from as string) : undefined;
          if (holder && holder.id !== c.id) continue;
          Object.assign(cols, { customerId: ch.from, verified: false });
        } else (cols as Record<string, unknown>)[ch.field] = ch.from;
      } else if (ch.change === 'type' && c.type === ch.to) cols.type = ch.from as ContactRecord['type'];
      else if (ch.change === 'note' && c.note === ch.to) cols.note = ch.from as string | null;
      else if (ch.change === 'custom' && ch.field && c.custom[ch.field] === ch.to) {
        const field = await tx.getField(ch.field);
        const stored = field && ch.from !== null ? checkFieldValue(field.type, ch.from) : null;
        if (field) values[ch.field] = stored?.ok ? stored.stored : null;
      } else if (ch.change === 'tag_added' && ch.field) {
        const tag = await tx.getTagByKey(tagKey(ch.field));
        if (tag) await tx.detachTag(c.id, tag.id);
      }
    }
    await tx.updateContact(c.id, cols);
    await tx.setValues(c.id, values);
    const after = (await tx.getContact(c.id))!;
    out.push(() => contacts.publishContact(after));
    await changes.emit(tx, out, diffContact(c, after));
    return true;
  }

  return {
    /** Records the job and starts it (not awaited: the caller answers 202 at once). */
    async start(file: string, columns: string[], match: ImportMatch, dryRun: boolean): Promise<string> {
      const id = 'im_' + randomBytes(12).toString('base64url');
      // multi: held by this instance while it runs (services/import-leases.ts), so another instance's recovery leaves it alone
      await store.write(async (tx) => { await tx.createImport({ id, match, dryRun, createdAt: now() }); await deps.leases?.hold(tx, id); });
      running.set(id, run(id, file, columns, match, dryRun).finally(() => { running.delete(id); void deps.leases?.release(id); }));
      return id;
    },
    /** Resolves when the job ends (tests and shutdown wait on this, not on time). */
    whenDone: (id: string) => running.get(id) ?? Promise.resolve(),
    /** Imports a restart interrupted are failed, so nothing waits on them forever. */
    recover: () => {
      const interrupted = JSON.stringify({ error: { code: 'interrupted', message: 'the server restarted during this import; rows before it were applied (undo puts them back)' } });
      // multi: with leases, only imports no live instance runs (another instance's running import is left alone)
      return deps.leases ? deps.leases.recover(interrupted) : store.write((tx) => tx.failRunningImports(interrupted, now()));
    },

    /** Undo (CONTRACT §9): every value the import changed put back, every contact it created removed (kept if it has since chatted). */
    async undo(jobId: string, actor: Actor): Promise<{ reverted: number; removed: number; kept: number }> {
      const job = await store.read((r) => r.getImport(jobId));
      if (!job) throw new HttpError(404, 'import_not_found', 'no such import');
      if (job.dryRun) throw new HttpError(409, 'import_dry_run', 'a dry run changed nothing: there is nothing to undo');
      if (job.status === 'running') throw new HttpError(409, 'import_running', 'the import is still running: undo it once it is done');
      if (job.undoneAt) throw new HttpError(409, 'import_undone', `this import was already undone at ${job.undoneAt}`);
      const totals = { reverted: 0, removed: 0, kept: 0 };
      for (let before: number | null = null; ; ) {
        const page = await store.read((r) => r.importChanges(jobId, before, IMPORT_BATCH));
        if (!page.length) break;
        let out = new Outbox(actor);
        const n = await store.write(async (tx) => {
          out = new Outbox(actor);
          const t = { reverted: 0, removed: 0, kept: 0 };
          for (const ch of page) {
            if (ch.created) {
              const c = await tx.getContact(ch.contactId);
              // a created contact someone has since chatted as (or merged) is theirs now: kept, never deleted with its messages
              if (!c || c.mergedInto || (await tx.latestConversation(c.id))) { t.kept++; continue; }
              await tx.deleteContact(c.id);
              await changes.emit(tx, out, [{ contactId: c.id, change: 'erased' }]);
              t.removed++;
            } else if (await revert(tx, ch.contactId, JSON.parse(ch.changesJson) as ContactChange[], out)) t.reverted++;
            else t.kept++;
          }
          return t;
        });
        out.flush();
        totals.reverted += n.reverted;
        totals.removed += n.removed;
        totals.kept += n.kept;
        before = page[page.length - 1].seq;
      }
      await store.write((tx) => tx.updateImport(jobId, { undoneAt: now() }));
      return totals;
    },
  };
}
