// CONTRACT §7: the condition language's fields, their types and the operators each type takes — one table
// for the server (validation, evaluator, SQL compiler) and the console's filter builder. No zod, no I/O.
import { CONTACT_TYPES, type FieldType } from './rules.js';

/** A field's type in the condition language: the four custom-field types plus the two special fields. */
export type ConditionKind = FieldType | 'type' | 'tags';

export const OPERATORS = {
  text: ['is', 'is_not', 'contains', 'starts_with', 'is_set', 'is_not_set'],
  number: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'is_set', 'is_not_set'],
  date: ['on', 'before', 'after', 'between', 'in_last_days', 'in_next_days', 'more_than_days_ago', 'is_set', 'is_not_set'],
  boolean: ['is_true', 'is_false', 'is_not_set'],
  type: ['is', 'is_not', 'in'],
  tags: ['has_any', 'has_all', 'has_none'],
} as const satisfies Record<ConditionKind, readonly string[]>;

export type Operator<K extends ConditionKind = ConditionKind> = (typeof OPERATORS)[K][number];

/** The built-in fields and their kinds; custom fields are `custom.<key>` with their own type. */
export const BASIC_CONDITION_FIELDS = {
  type: 'type',
  name: 'text',
  email: 'text',
  phone: 'text',
  customerId: 'text',
  timezone: 'text',
  locale: 'text',
  createdAt: 'date',
  lastSeenAt: 'date',
  tags: 'tags',
} as const satisfies Record<string, ConditionKind>;
export type BasicConditionField = keyof typeof BASIC_CONDITION_FIELDS;

/** Operators that take no value. */
export const NO_VALUE_OPS: readonly string[] = ['is_set', 'is_not_set', 'is_true', 'is_false'];
/** Operators whose value is a whole number of days. */
export const DAY_OPS: readonly string[] = ['in_last_days', 'in_next_days', 'more_than_days_ago'];

export const CONDITION_LIMITS = { depth: 3, leaves: 30, listItems: 20, maxDays: 36_500 } as const;
export { CONTACT_TYPES };

/** Fields a search may sort by (besides `custom.<key>`). */
export const SORT_FIELDS = ['name', 'email', 'phone', 'customerId', 'timezone', 'locale', 'type', 'createdAt', 'lastSeenAt'] as const;
