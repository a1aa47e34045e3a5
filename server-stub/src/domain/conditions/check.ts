// Typed validation of a condition tree whose shape zod already checked: the field exists, the operator fits its
// kind, the value has the operator's type. Answers the tree with each leaf resolved and its value canonical
// (tag names → keys), or every issue at once with its path at the leaf.
import type { ConditionGroup, ConditionNode } from '../../../../widget/src/contract/zod/conditions.js';
import { CONTACT_TYPES } from '../contact-type.js';
import { checkFieldValue, isIsoDate, type FieldType } from '../custom-fields.js';
import { normalizeTagName, tagKey, tagNameProblem } from '../tags.js';
import type { Issue } from '../../http/http-error.js';
import { CONDITION_LIMITS, DAY_OPS, NO_VALUE_OPS, fitsKind, resolveField, type FieldRef } from './fields.js';

export type CheckedLeaf = { field: string; op: string; value?: unknown; ref: FieldRef };
export type CheckedGroup = { all: CheckedNode[] } | { any: CheckedNode[] };
export type CheckedNode = CheckedGroup | CheckedLeaf;

type Path = (string | number)[];
const isGroup = (n: ConditionNode): n is ConditionGroup => 'all' in n || 'any' in n;

/** Checks `where` against the custom fields (`fieldType(key)`); paths start at `base`. */
export function checkCondition(where: ConditionGroup, fieldType: (key: string) => FieldType | undefined, base: Path = ['where']): { ok: true; where: CheckedGroup } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const group = (g: ConditionGroup, path: Path): CheckedGroup =>
    'all' in g ? { all: g.all.map((n, i) => node(n, [...path, 'all', i])) } : { any: g.any.map((n, i) => node(n, [...path, 'any', i])) };
  const node = (n: ConditionNode, path: Path): CheckedNode => (isGroup(n) ? group(n, path) : leaf(n, path));
  const leaf = (l: { field: string; op: string; value?: unknown }, path: Path): CheckedLeaf => {
    const ref = resolveField(l.field, fieldType);
    if (typeof ref === 'string') {
      issues.push({ path: [...path, 'field'], message: ref });
      return { field: l.field, op: l.op, ref: { source: 'tags', kind: 'tags', read: () => [] } };
    }
    if (!fitsKind(ref.kind, l.op)) {
      issues.push({ path: [...path, 'op'], message: `"${l.op}" does not fit a ${ref.kind} field` });
      return { field: l.field, op: l.op, ref };
    }
    const problem = (message: string) => issues.push({ path: [...path, 'value'], message });
    const value = checkValue(ref.kind, l.op, l.value, problem);
    return value === undefined ? { field: l.field, op: l.op, ref } : { field: l.field, op: l.op, value, ref };
  };
  const checked = group(where, base);
  return issues.length ? { ok: false, issues } : { ok: true, where: checked };
}

/** The canonical value of a leaf, or undefined (with `problem` called when a value was wrong). */
function checkValue(kind: string, op: string, value: unknown, problem: (m: string) => void): unknown {
  if (NO_VALUE_OPS.includes(op)) {
    if (value !== undefined && value !== null) problem(`"${op}" takes no value`);
    return undefined;
  }
  if (DAY_OPS.includes(op)) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= CONDITION_LIMITS.maxDays) return value;
    return void problem(`expected a whole number of days, 0-${CONDITION_LIMITS.maxDays}`);
  }
  const one = (v: unknown): unknown => {
    switch (kind) {
      case 'text': {
        if (typeof v !== 'string' || v.length === 0) return void problem('expected non-empty text');
        const c = checkFieldValue('text', v);
        return c.ok ? v : void problem(c.message);
      }
      case 'number': {
        const c = checkFieldValue('number', v);
        return c.ok ? v : void problem(c.message);
      }
      case 'date':
        return typeof v === 'string' && isIsoDate(v) ? v : void problem('expected a date YYYY-MM-DD');
      case 'type':
        return typeof v === 'string' && (CONTACT_TYPES as readonly string[]).includes(v) ? v : void problem(`expected one of ${CONTACT_TYPES.join(', ')}`);
      case 'tags': {
        if (typeof v !== 'string') return void problem('expected tag names');
        const name = normalizeTagName(v);
        return name ? tagKey(name) : void problem(`tag: ${tagNameProblem(v) ?? 'not a tag name'}`);
      }
    }
  };
  const list = (min: number, max: number): unknown[] | undefined => {
    if (!Array.isArray(value) || value.length < min || value.length > max) return void problem(min === max ? `expected a list of ${min}` : `expected a list of ${min}-${max} values`);
    const out = value.map(one);
    return out.some((v) => v === undefined) ? undefined : out;
  };
  if (op === 'between') {
    const pair = list(2, 2) as (number | string)[] | undefined;
    if (pair && pair[0] > pair[1]) return void problem('the lower bound is above the upper bound');
    return pair;
  }
  if (op === 'in' || kind === 'tags') return list(1, CONDITION_LIMITS.listItems);
  return one(value);
}
