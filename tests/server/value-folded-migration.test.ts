// The search migration on a real SQLite file: custom values stored before it get their folded copy (JS toLowerCase, not
// SQLite's ASCII lower()), so a text condition finds them through the new index exactly as the evaluator would.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { checkCondition, DEFAULT_SORT } from '../../server-stub/src/domain/conditions/index.js';
import { MIGRATIONS } from '../../server-stub/src/storage/migrations.js';
import { createSqliteStore } from '../../server-stub/src/storage/sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('backfills value_lc for values written before it, Unicode-folded, and the index answers text conditions', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'chative-fold-'));
  dirs.push(dir);
  const file = join(dir, 'chative.sqlite');
  // the release before the value_lc migration (later ones were appended after it), values written straight into the file
  const FOLD = MIGRATIONS.findIndex((m) => typeof m === 'function' && m.toString().includes('value_lc'));
  const db = new Database(file);
  for (const m of MIGRATIONS.slice(0, FOLD)) typeof m === 'string' ? db.exec(m) : m(db);
  db.pragma(`user_version = ${FOLD}`);
  const at = '2026-01-01T00:00:00.000Z';
  db.prepare("INSERT INTO custom_fields (key, name, type, created_at) VALUES ('city', 'City', 'text', ?)").run(at);
  const contact = db.prepare("INSERT INTO contacts (id, site_id, type, created_at, last_seen_at) VALUES (?, 'default', 'lead', ?, ?)");
  const value = db.prepare("INSERT INTO contact_values (contact_id, key, value) VALUES (?, 'city', ?)");
  for (const [id, city] of [['ct_1', 'İSTANBUL'], ['ct_2', 'ÖREBRO'], ['ct_3', 'Oslo']]) {
    contact.run(id, at, at);
    value.run(id, city);
  }
  db.close();

  const store = createSqliteStore(file);
  try {
    const check = new Database(file, { readonly: true });
    const folded = check.prepare('SELECT contact_id, value_lc FROM contact_values ORDER BY contact_id').all();
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'contact_values_folded'").get()).toEqual({ n: 1 });
    check.close();
    // SQLite's lower() would leave İ and Ö as they are
    expect(folded).toEqual([{ contact_id: 'ct_1', value_lc: 'i̇stanbul' }, { contact_id: 'ct_2', value_lc: 'örebro' }, { contact_id: 'ct_3', value_lc: 'oslo' }]);
    const r = checkCondition({ all: [{ field: 'custom.city', op: 'is', value: 'örebro' }] }, () => 'text');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const found = await store.read((x) => x.searchContacts({ where: r.where, now: new Date(at), sort: DEFAULT_SORT, limit: 10, plan: { driveMax: 10, sample: 10 } }));
    expect(found.map((f) => f.contact.id)).toEqual(['ct_2']);
  } finally {
    await store.close();
  }
});
