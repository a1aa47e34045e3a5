// The one definition of condition fields: name → kind (contract/conditions.ts) → where its value lives, in a
// ContactRecord (evaluator) and in the contacts table (SQL compiler). Both read this table, so they cannot drift.
import { BASIC_CONDITION_FIELDS, OPERATORS, type BasicConditionField, type ConditionKind } from '../../../../widget/src/contract/conditions.js';
import type { FieldType } from '../custom-fields.js';
import type { ContactRecord } from '../../storage/store.js';

export { BASIC_CONDITION_FIELDS, CONDITION_LIMITS, DAY_OPS, NO_VALUE_OPS, OPERATORS, type ConditionKind } from '../../../../widget/src/contract/conditions.js';

/** Where a field lives. `column`: the contacts column; `lowered`: a column holding its lower-cased copy (JS toLowerCase). */
export type FieldRef =
  | { source: 'column'; kind: ConditionKind; column: string; lowered?: string; read: (c: ContactRecord) => unknown }
  | { source: 'custom'; kind: FieldType; key: string; read: (c: ContactRecord) => unknown }
  | { source: 'tags'; kind: 'tags'; read: (c: ContactRecord) => unknown };

const COLUMNS: Record<Exclude<BasicConditionField, 'tags'>, { column: string; lowered?: string }> = {
  type: { column: 'type' },
  name: { column: 'name', lowered: 'name_lc' },
  email: { column: 'email', lowered: 'email_lc' },
  // E.164 text: its lower-case form is itself
  phone: { column: 'phone', lowered: 'phone' },
  customerId: { column: 'customer_id', lowered: 'customer_id_lc' },
  timezone: { column: 'timezone' },
  locale: { column: 'locale' },
  createdAt: { column: 'created_at' },
  lastSeenAt: { column: 'last_seen_at' },
};

/** The field named `field`, or why it is unknown. `fieldType(key)` answers a custom field's type. */
export function resolveField(field: string, fieldType: (key: string) => FieldType | undefined): FieldRef | string {
  if (field.startsWith('custom.')) {
    const key = field.slice(7);
    const kind = fieldType(key);
    if (!kind) return `unknown custom field "${key}"`;
    return { source: 'custom', kind, key, read: (c) => (Object.hasOwn(c.custom, key) ? c.custom[key] : null) };
  }
  if (!Object.hasOwn(BASIC_CONDITION_FIELDS, field)) return `unknown field "${field}"`;
  const name = field as BasicConditionField;
  if (name === 'tags') return { source: 'tags', kind: 'tags', read: (c) => c.tags };
  const { column, lowered } = COLUMNS[name];
  return { source: 'column', kind: BASIC_CONDITION_FIELDS[name], column, lowered, read: (c) => c[name] };
}

/** Whether `op` is one of the kind's operators. */
export function fitsKind(kind: ConditionKind, op: string): boolean {
  return (OPERATORS[kind] as readonly string[]).includes(op);
}
