// Migration 7 on a real SQLite file: stored phones re-read as CONTRACT §1 says, none lost, unreadable ones logged by id only.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { searchTerms } from '../../server-stub/src/domain/search-terms.js';
import { MIGRATIONS } from '../../server-stub/src/storage/migrations.js';
import { phonePassLine } from '../../server-stub/src/storage/renormalize-phones.js';
import { createSqliteStore } from '../../server-stub/src/storage/sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A database file as the previous release left it: migrations 1-6 only, contacts written straight into it. */
function oldDatabase(rows: { id: string; phone: string | null; timezone: string | null; name?: string; mergedInto?: string }[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'chative-mig-'));
  dirs.push(dir);
  const file = join(dir, 'chative.sqlite');
  const db = new Database(file);
  for (const m of MIGRATIONS.slice(0, 6)) typeof m === 'string' ? db.exec(m) : m(db);
  db.pragma('user_version = 6');
  const insert = db.prepare(`INSERT INTO contacts (id, site_id, type, name, phone, timezone, created_at, last_seen_at, merged_into, name_lc)
    VALUES (?, 'default', 'lead', ?, ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ?, ?)`);
  const term = db.prepare('INSERT INTO contact_terms (term, contact_id) VALUES (?, ?)');
  for (const r of rows) {
    insert.run(r.id, r.name ?? null, r.phone, r.timezone, r.mergedInto ?? null, r.name?.toLowerCase() ?? null);
    if (!r.mergedInto) for (const t of searchTerms({ name: r.name, phone: r.phone })) term.run(t, r.id);
  }
  db.close();
  return file;
}

it('rewrites old forms to E.164, keeps the unreadable ones as they were, and logs counts and ids without numbers', async () => {
  const file = oldDatabase([
    { id: 'c_trunk', phone: '+4402079460958', timezone: 'Europe/London', name: 'Ann' }, // the old rule kept the trunk 0
    { id: 'c_ok', phone: '+84912345678', timezone: 'Asia/Saigon', name: 'Lan' },
    { id: 'c_local', phone: '0912 345 678', timezone: 'Asia/Saigon', name: 'Minh' }, // imported as typed
    { id: 'c_bad', phone: '+15550102233', timezone: 'America/New_York', name: 'Bo' }, // no country allots it
    { id: 'c_nozone', phone: '06 12 34 56 78', timezone: null, name: 'Zoé' }, // local, no country to read it in
    { id: 'c_none', phone: null, timezone: null, name: 'Nobody' },
    { id: 'c_tomb', phone: '+3306 12 34 56 78', timezone: 'Europe/Paris', mergedInto: 'c_ok' },
  ]);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const store = createSqliteStore(file);
  try {
    const phone = async (id: string) => (await store.read((r) => r.getContact(id)))!.phone;
    expect(await phone('c_trunk')).toBe('+442079460958');
    expect(await phone('c_ok')).toBe('+84912345678');
    expect(await phone('c_local')).toBe('+84912345678');
    expect(await phone('c_bad')).toBe('+15550102233');
    expect(await phone('c_nozone')).toBe('06 12 34 56 78');
    expect(await phone('c_none')).toBeNull();
    expect(await phone('c_tomb')).toBe('+33612345678');

    const lines = log.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith('migration 7'));
    expect(lines).toEqual(['migration 7 (phones to E.164): 6 checked, 3 rewritten, 2 unreadable kept as they were (contact ids: c_bad, c_nozone)']);
    expect(lines[0]).not.toMatch(/\d{5}/);

    // search follows the new numbers; the old spelling's terms are gone; the tombstone stays unlisted
    const ids = async (q: string) => (await store.read((r) => r.listContacts({ q }))).map((c) => c.id).sort();
    expect(await ids('+442079460958')).toEqual(['c_trunk']);
    expect(await ids('4402079')).toEqual([]);
    expect(await ids('+84912345678')).toEqual(['c_local', 'c_ok']);
    expect(await ids('ann')).toEqual(['c_trunk']);
    expect(await ids('+336')).toEqual([]);
  } finally {
    await store.close();
  }
  // it ran once: opening again changes nothing and logs nothing
  log.mockClear();
  const again = createSqliteStore(file);
  expect((await again.read((r) => r.getContact('c_nozone')))!.phone).toBe('06 12 34 56 78');
  await again.close();
  expect(log).not.toHaveBeenCalled();
});

it('caps the id list of a long log line and says how many more', () => {
  const line = phonePassLine({ checked: 5, changed: 0, unreadable: ['a', 'b', 'c', 'd', 'e'] }, 2);
  expect(line).toBe('migration 7 (phones to E.164): 5 checked, 0 rewritten, 5 unreadable kept as they were (contact ids: a, b, … 3 more)');
});
