// CONTRACT §7's promise that search and rules never disagree: random contacts in a real store (SQLite, and PostgreSQL
// when it is installed), random condition trees; the compiled SQL selects exactly the contacts the evaluator matches.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { addDays, checkCondition, compileWhere, DEFAULT_PLAN, DEFAULT_SORT, matches, type SearchPlan, type SortAfter, type SortSpec, POSTGRES_DIALECT, SQLITE_DIALECT, type CheckedGroup, type Dialect } from '../../server-stub/src/domain/conditions/index.js';
import { registerConditionFunctions } from '../../server-stub/src/storage/sqlite-cond.js';
import type { FieldType } from '../../server-stub/src/domain/custom-fields.js';
import { createSqliteStore } from '../../server-stub/src/storage/sqlite-store.js';
import type { ContactRecord, ImportContact, Store } from '../../server-stub/src/storage/store.js';
import type { PgStore } from '../../server-stub/src/storage/pg-store.js';
import { openPgStore, pgSkip } from './helpers/pg.js';
import type { ConditionGroup, ConditionLeaf, ConditionNode } from '../../widget/src/contract/zod/conditions.js';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const TODAY = '2026-03-15';
const FIELDS: Record<string, FieldType> = { plan: 'text', seats: 'number', renewal: 'date', vip: 'boolean' };
const TAGS = ['VIP', 'billing', 'Été', 'ärger'];
// case and Unicode traps: the SQL must lower-case exactly like JS
const TEXTS = ['Anna', 'ANNA-maria', 'Ölaf', 'öLAF', 'İstanbul', 'x%y_z', 'back\\slash', 'zoë', 'Zoë Smith'];
const day = fc.integer({ min: -12, max: 12 }).map((n) => addDays(TODAY, n));
const stamp = fc.tuple(day, fc.constantFrom('00:00:00.000', '12:30:00.000', '23:59:59.999')).map(([d, t]) => `${d}T${t}Z`);
const numbers = fc.oneof(fc.integer({ min: -5, max: 30 }), fc.constantFrom(0.25, 2.5, -1.75, 1e-7));

const contactArb = fc.record({
  type: fc.constantFrom('guest', 'lead', 'customer'),
  name: fc.option(fc.constantFrom(...TEXTS)),
  email: fc.option(fc.constantFrom('Anna@Example.com', 'olaf@x.io', 'ZOË@mail.de')),
  phone: fc.option(fc.constantFrom('+442079460958', '+84912345678')),
  customerId: fc.option(fc.constantFrom('C-1', 'c-2', 'Ö-3')),
  timezone: fc.option(fc.constantFrom('Europe/Berlin', 'Asia/Ho_Chi_Minh')),
  locale: fc.option(fc.constantFrom('de-DE', 'en')),
  createdAt: stamp,
  lastSeenAt: stamp,
  plan: fc.option(fc.constantFrom(...TEXTS, 'pro', 'PRO plus')),
  seats: fc.option(numbers),
  renewal: fc.option(day),
  vip: fc.option(fc.boolean()),
  tags: fc.subarray(TAGS),
});

const text = fc.constantFrom(...TEXTS, 'an', 'AN', 'ö', 'Ö', '%', '_', 'z', 'pro', '\\', 'example', '+84');
const days = fc.integer({ min: 0, max: 15 });
const range = <T,>(a: fc.Arbitrary<T>) => fc.tuple(a, a).map(([x, y]) => (x <= y ? [x, y] : [y, x]));
const leafArb: fc.Arbitrary<ConditionLeaf> = fc.oneof(
  fc.record({ field: fc.constantFrom('name', 'email', 'phone', 'customerId', 'timezone', 'locale', 'custom.plan'), op: fc.constantFrom('is', 'is_not', 'contains', 'starts_with'), value: text }),
  fc.record({ field: fc.constantFrom('name', 'email', 'phone', 'customerId', 'timezone', 'locale', 'custom.plan', 'custom.seats', 'custom.renewal'), op: fc.constantFrom('is_set', 'is_not_set') }),
  fc.record({ field: fc.constant('custom.seats'), op: fc.constantFrom('eq', 'neq', 'lt', 'lte', 'gt', 'gte'), value: numbers }),
  fc.record({ field: fc.constant('custom.seats'), op: fc.constant('between'), value: range(numbers) }),
  fc.record({ field: fc.constantFrom('createdAt', 'lastSeenAt', 'custom.renewal'), op: fc.constantFrom('on', 'before', 'after'), value: day }),
  fc.record({ field: fc.constantFrom('createdAt', 'lastSeenAt', 'custom.renewal'), op: fc.constant('between'), value: range(day) }),
  fc.record({ field: fc.constantFrom('createdAt', 'lastSeenAt', 'custom.renewal'), op: fc.constantFrom('in_last_days', 'in_next_days', 'more_than_days_ago'), value: days }),
  fc.record({ field: fc.constant('custom.vip'), op: fc.constantFrom('is_true', 'is_false', 'is_not_set') }),
  fc.record({ field: fc.constant('type'), op: fc.constantFrom('is', 'is_not'), value: fc.constantFrom('guest', 'lead', 'customer') }),
  fc.record({ field: fc.constant('type'), op: fc.constant('in'), value: fc.subarray(['guest', 'lead', 'customer'], { minLength: 1 }) }),
  fc.record({ field: fc.constant('tags'), op: fc.constantFrom('has_any', 'has_all', 'has_none'), value: fc.subarray([...TAGS, 'vip', 'ÉTÉ', 'nobody'], { minLength: 1 }) }),
);
const { tree } = fc.letrec<{ tree: ConditionGroup; node: ConditionNode }>((tie) => ({
  tree: fc.oneof(
    fc.array(tie('node'), { maxLength: 4 }).map((all) => ({ all })),
    fc.array(tie('node'), { maxLength: 4 }).map((any) => ({ any })),
  ),
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafArb, tie('tree')),
}));
const depthOf = (n: ConditionNode): number => ('all' in n ? 1 + Math.max(0, ...n.all.map(depthOf)) : 'any' in n ? 1 + Math.max(0, ...n.any.map(depthOf)) : 0);
const treeArb = tree.filter((t) => depthOf(t) <= 3);

const check = (where: ConditionGroup): CheckedGroup => {
  const r = checkCondition(where, (k) => FIELDS[k]);
  if (!r.ok) throw new Error(`generated an invalid tree: ${JSON.stringify(r.issues)}`);
  return r.where;
};

/** A store of one engine, plus its connection's raw SELECT (for the probing form) and the dialect it compiles with. */
type Rig = { store: Store; dialect: Dialect; ids(sql: string, params: unknown[]): Promise<string[]>; dispose(): Promise<void> };
let pgShared: PgStore | undefined;
afterAll(async () => { await pgShared?.close(); });
const RIGS: { name: string; skip: string | false; open(): Promise<Rig> }[] = [
  {
    name: 'SQLite',
    skip: false,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'chative-cond-'));
      const store = createSqliteStore(join(dir, 'c.sqlite'));
      let raw: Database.Database | undefined;
      return {
        store,
        dialect: SQLITE_DIALECT,
        async ids(sql, params) {
          if (!raw) registerConditionFunctions((raw = new Database(join(dir, 'c.sqlite'), { readonly: true })));
          return (raw.prepare(sql).all(...params) as { id: string }[]).map((x) => x.id);
        },
        async dispose() {
          raw?.close();
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    skip: pgSkip ? 'PostgreSQL is not installed' : false,
    // one store for the whole property (opening one per run migrates and empties every table): each run empties the
    // tables it fills; the last dispose closes it
    async open() {
      const store = (pgShared ??= await openPgStore({ poolSize: 2 }));
      await store.sql`TRUNCATE contacts, custom_fields, contact_values, tags, contact_tags, contact_terms RESTART IDENTITY`;
      return {
        store,
        dialect: POSTGRES_DIALECT,
        ids: async (sql, params) => (await store.sql.unsafe(sql, params as never[])).map((x) => x.id as string),
        dispose: async () => {},
      };
    },
  },
];

// ids shaped like the server's (ct_ + 16 base64url characters), scattered over the id space so the sampled estimate scales
const idOf = (i: number) => `ct_${'-0Aa_z9Z'[i % 8]}${String(i).padStart(15, 'q')}`;
/** Plans that reach every path with a few contacts: a driving leaf (≤ 3 candidates), the sampled estimate (5 contacts). */
const SMALL: SearchPlan = { driveMax: 3, sample: 5 };
/** The share of the id space up to `id` (inclusive of its 8-character cell), computed here independently of plan.ts. */
const idShare = (id: string) => {
  const digits = [...'-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz'];
  const cell = id.slice(3, 11).split('').reduce((n, ch) => n * 64n + BigInt(digits.indexOf(ch)), 0n) + 1n;
  return Number(cell) / 64 ** 8;
};

type Person = Omit<typeof contactArb extends fc.Arbitrary<infer T> ? T : never, 'timezone' | 'locale'> & { timezone: string | null; locale: string | null };
/** Writes `people` into `store` (with the fields and tags they use) and answers them as stored. */
async function fill(store: Store, people: Person[]) {
  await store.write(async (tx) => {
    for (const [key, type] of Object.entries(FIELDS)) await tx.createField({ key, name: key, type, createdAt: NOW.toISOString() });
    const ids = new Map<string, number>();
    for (const t of TAGS) ids.set(t, (await tx.createTag(t, NOW.toISOString())).id);
    const rows: ImportContact[] = people.map((p, i) => {
      const values: Record<string, string> = {};
      if (p.plan !== null) values.plan = p.plan;
      if (p.seats !== null) values.seats = String(p.seats);
      if (p.renewal !== null) values.renewal = p.renewal;
      if (p.vip !== null) values.vip = String(p.vip);
      return {
        id: idOf(i), siteId: 'default', type: p.type as ImportContact['type'], name: p.name, email: p.email, phone: p.phone,
        timezone: p.timezone, locale: p.locale, customerId: p.customerId, verified: false, note: null, createdAt: p.createdAt, lastSeenAt: p.lastSeenAt,
        values, tagIds: p.tags.map((t) => ids.get(t)!),
      };
    });
    await tx.importContacts(rows);
  });
  return store.read(async (r) => Promise.all(people.map((_, i) => r.getContact(idOf(i)))));
}

/** Fills `rig`'s store with `people`, then checks every tree: search, count and the probing form = the evaluator. */
async function agree(rig: (typeof RIGS)[number], people: Person[], trees: ConditionGroup[]) {
  const { store, dialect, ids: rawIds, dispose } = await rig.open();
  try {
    const all = await fill(store, people);
    for (const where of trees) {
      const checked = check(where);
      const expected = all.filter((c) => matches(c!, checked, NOW)).map((c) => c!.id).sort();
      const found = await store.read((r) => r.searchContacts({ where: checked, now: NOW, sort: DEFAULT_SORT, limit: 1000 }));
      const got = found.map((f) => f.contact.id).sort();
      expect(got, JSON.stringify(where)).toEqual(expected);
      expect(await store.read((r) => r.countMatching(checked, NOW))).toBe(expected.length);
      // the planner's paths (a driving leaf, or the list walk) select the same contacts
      const planned = await store.read((r) => r.searchContacts({ where: checked, now: NOW, sort: DEFAULT_SORT, limit: 1000, plan: SMALL }));
      expect(planned.map((f) => f.contact.id).sort(), `planned ${JSON.stringify(where)}`).toEqual(expected);
      // a total is exact, or the sample's matches scaled by the share of the id space it read
      expect(await store.read((r) => r.estimateMatching(checked, NOW))).toEqual({ n: expected.length, exact: true });
      const sample = all.map((c) => c!.id).sort().slice(0, SMALL.sample);
      const estimate = await store.read((r) => r.estimateMatching(checked, NOW, SMALL));
      const sampled = Math.round(expected.filter((id) => sample.includes(id)).length / idShare(sample[sample.length - 1]));
      if (!estimate.exact) expect(estimate.n, `estimate ${JSON.stringify(where)}`).toBe(sampled);
      else expect(estimate.n, `small exact ${JSON.stringify(where)}`).toBe(expected.length);
      // the probing form (correlated EXISTS, used for a common match in list order) selects the same rows
      const params: unknown[] = [];
      const probe = compileWhere(checked, dialect, NOW, params, { probe: true }).sql;
      const probed = await rawIds(`SELECT c.id FROM contacts c WHERE c.merged_into IS NULL AND ${probe} ORDER BY c.id`, params);
      expect(probed, `probe ${JSON.stringify(where)}`).toEqual(expected);
    }
  } finally {
    await dispose();
  }
}

const SORT_FIELDS = ['name', 'email', 'phone', 'customerId', 'timezone', 'locale', 'createdAt', 'custom.plan', 'custom.seats', 'custom.renewal', 'custom.vip'] as const;
const sortArb = fc.record({ field: fc.constantFrom(...SORT_FIELDS), dir: fc.constantFrom('asc' as const, 'desc' as const) });
/** A contact's sort key by the evaluator's rules, computed here: text lower-cased, numbers numeric, null when unset. */
function sortKey(c: ContactRecord, field: string): string | number | null {
  if (field.startsWith('custom.')) {
    const key = field.slice(7);
    const v = Object.hasOwn(c.custom, key) ? c.custom[key] : null;
    if (v === null || v === undefined) return null;
    return FIELDS[key] === 'number' ? Number(v) : FIELDS[key] === 'text' ? String(v).toLowerCase() : String(v);
  }
  const v = c[field as 'name'];
  return v === null ? null : ['name', 'email', 'customerId'].includes(field) ? v.toLowerCase() : v;
}
/** The evaluator's order: by key (unset last in both directions), ties by id, in byte order (BMP texts: JS order is byte order). */
function sorted(cs: ContactRecord[], sort: SortSpec): string[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return cs
    .map((c) => ({ id: c.id, key: sortKey(c, sort.field) }))
    .sort((a, b) => (a.key === null) !== (b.key === null) ? (a.key === null ? 1 : -1) : sign * ((a.key === null || b.key === null ? 0 : cmp(a.key, b.key)) || cmp(a.id, b.id)))
    .map((x) => x.id);
}
/** Fills `rig`'s store, then pages every (tree, sort) through each planner path: the evaluator's matches in the evaluator's order. */
async function agreeSorted(rig: (typeof RIGS)[number], people: Person[], cases: [ConditionGroup, SortSpec][]) {
  const { store, dispose } = await rig.open();
  try {
    const all = (await fill(store, people)) as ContactRecord[];
    for (const [where, sort] of cases) {
      const checked = check(where);
      const expected = sorted(all.filter((c) => matches(c, checked, NOW)), sort);
      // a driving leaf (default plan: every leaf here is rare), the sort-order walk (nothing drives), and tiny thresholds
      for (const plan of [DEFAULT_PLAN, { driveMax: 0, sample: 5 }, SMALL]) {
        const got: string[] = [];
        let after: SortAfter | undefined;
        for (let page = 0; page <= expected.length; page++) {
          const found = await store.read((r) => r.searchContacts({ where: checked, now: NOW, sort, limit: 3, plan, after }));
          got.push(...found.map((f) => f.contact.id));
          if (found.length < 3) break;
          const last = found[found.length - 1];
          after = { value: last.key, id: last.contact.id };
        }
        expect(got, `${JSON.stringify(where)} by ${JSON.stringify(sort)} plan ${JSON.stringify(plan)}`).toEqual(expected);
      }
    }
  } finally {
    await dispose();
  }
}

describe('conditions: compiled SQL = evaluator', () => {
  for (const rig of RIGS) it.skipIf(rig.skip !== false)(`sorted searches page in the evaluator's order on every planner path on a real ${rig.name} store${rig.skip ? ` — skipped: ${rig.skip}` : ''}`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(contactArb, { minLength: 1, maxLength: 25 }), fc.array(fc.tuple(fc.oneof(treeArb, fc.constant({ all: [] } as ConditionGroup)), sortArb), { minLength: 1, maxLength: 6 }),
        (people, cases) => agreeSorted(rig, people, cases)),
      { numRuns: 60 },
    );
  }, 300_000);

  for (const rig of RIGS) it.skipIf(rig.skip !== false)(`random contacts and random trees select the same contacts on a real ${rig.name} store${rig.skip ? ` — skipped: ${rig.skip}` : ''}`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(contactArb, { minLength: 1, maxLength: 25 }), fc.array(treeArb, { minLength: 1, maxLength: 8 }), (people, trees) => agree(rig, people, trees)),
      { numRuns: 150 },
    );
  }, 300_000);

  // Every column the dialect lower-cases (timezone, locale, a custom text; phone matches by its digits) with Unicode case traps, one text
  // leaf a tree: the engine's case folding must be JS toLowerCase's (PostgreSQL's lower() on a "C" column is not).
  const foldedArb = fc.tuple(contactArb, fc.option(fc.constantFrom(...TEXTS)), fc.option(fc.constantFrom(...TEXTS)))
    .map(([c, timezone, locale]) => ({ ...c, timezone, locale }));
  const textLeaf = fc.record({ field: fc.constantFrom('timezone', 'locale', 'custom.plan'), op: fc.constantFrom('is', 'is_not', 'contains', 'starts_with'), value: text });
  for (const rig of RIGS) it.skipIf(rig.skip !== false)(`text leaves fold case like JS on every lower-cased column on a real ${rig.name} store${rig.skip ? ` — skipped: ${rig.skip}` : ''}`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(foldedArb, { minLength: 1, maxLength: 25 }), fc.array(textLeaf.map((l) => ({ all: [l] }) as ConditionGroup), { minLength: 1, maxLength: 8 }), (people, trees) => agree(rig, people, trees)),
      { numRuns: 40 },
    );
  }, 300_000);

  it('the evaluator reads days in UTC and counts them inclusively', () => {
    const c = { type: 'lead', custom: {}, tags: [], lastSeenAt: '2026-03-05T23:59:59.999Z', createdAt: '2026-03-15T00:00:00.000Z' } as never;
    const m = (leaf: ConditionLeaf) => matches(c, check({ all: [leaf] }), NOW);
    expect(m({ field: 'lastSeenAt', op: 'in_last_days', value: 10 })).toBe(true);
    expect(m({ field: 'lastSeenAt', op: 'in_last_days', value: 9 })).toBe(false);
    expect(m({ field: 'lastSeenAt', op: 'more_than_days_ago', value: 9 })).toBe(true);
    expect(m({ field: 'lastSeenAt', op: 'more_than_days_ago', value: 10 })).toBe(false);
    expect(m({ field: 'createdAt', op: 'on', value: TODAY })).toBe(true);
    expect(m({ field: 'createdAt', op: 'in_next_days', value: 0 })).toBe(true);
  });
});
