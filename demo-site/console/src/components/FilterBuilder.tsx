import { BASIC_CONDITION_FIELDS, CONDITION_LIMITS, CONTACT_TYPES, DAY_OPS, NO_VALUE_OPS, OPERATORS, type ConditionKind } from '../../../../widget/src/contract/conditions';
import type { ConditionGroup, ConditionLeaf, ConditionNode } from '../api/search';
import type { CustomField, Tag } from '../api/schemas';

const FIELD_LABELS: Record<string, string> = {
  type: 'Type', name: 'Name', email: 'Email', phone: 'Phone', customerId: 'Customer ID', timezone: 'Time zone', locale: 'Language',
  createdAt: 'First seen', lastSeenAt: 'Last seen', tags: 'Tags',
};
const OP_LABELS: Record<string, string> = {
  is: 'is', is_not: 'is not', contains: 'contains', starts_with: 'starts with', is_set: 'is set', is_not_set: 'is not set',
  eq: '=', neq: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥', between: 'between', on: 'on', before: 'before', after: 'after',
  in_last_days: 'in the last … days', in_next_days: 'in the next … days', more_than_days_ago: 'more than … days ago',
  is_true: 'is Yes', is_false: 'is No', in: 'is one of', has_any: 'has any of', has_all: 'has all of', has_none: 'has none of',
};

type Props = { value: ConditionGroup; onChange: (g: ConditionGroup) => void; fields: CustomField[]; tags: Tag[] };

const kindOf = (field: string, fields: CustomField[]): ConditionKind =>
  field.startsWith('custom.') ? (fields.find((f) => f.key === field.slice(7))?.type ?? 'text') : BASIC_CONDITION_FIELDS[field as keyof typeof BASIC_CONDITION_FIELDS];
const isGroup = (n: ConditionNode): n is ConditionGroup => 'all' in n || 'any' in n;
const childrenOf = (g: ConditionGroup) => ('all' in g ? g.all : g.any);
const withChildren = (g: ConditionGroup, list: ConditionNode[]): ConditionGroup => ('all' in g ? { all: list } : { any: list });

/** A fresh leaf's value for an operator: typed, so the input starts in the right shape. */
function defaultValue(kind: ConditionKind, op: string): unknown {
  if (NO_VALUE_OPS.includes(op)) return undefined;
  if (DAY_OPS.includes(op)) return 7;
  if (kind === 'tags') return [];
  if (kind === 'type') return op === 'in' ? ['lead'] : 'lead';
  if (op === 'between') return kind === 'number' ? [0, 10] : [new Date().toISOString().slice(0, 10), new Date().toISOString().slice(0, 10)];
  if (kind === 'number') return 0;
  if (kind === 'date') return new Date().toISOString().slice(0, 10);
  return '';
}

/** Field → the operators that fit its type → a typed input; AND/OR groups nested up to the contract's depth. */
export function FilterBuilder({ value, onChange, fields, tags }: Props) {
  return <Group group={value} onChange={onChange} depth={1} path="c" fields={fields} tags={tags} />;
}

function Group({ group, onChange, depth, path, fields, tags, onRemove }: { group: ConditionGroup; onChange: (g: ConditionGroup) => void; depth: number; path: string; fields: CustomField[]; tags: Tag[]; onRemove?: () => void }) {
  const list = childrenOf(group);
  const set = (i: number, n: ConditionNode) => onChange(withChildren(group, list.map((x, j) => (j === i ? n : x))));
  const remove = (i: number) => onChange(withChildren(group, list.filter((_, j) => j !== i)));
  const mode = 'all' in group ? 'all' : 'any';
  return (
    <fieldset class={`cond-group depth-${depth}`}>
      <legend class="cond-legend">
        <label for={`${path}-mode`} class="visually-hidden">Match</label>
        <select id={`${path}-mode`} class="input input-small" value={mode} onChange={(e) => onChange(e.currentTarget.value === 'all' ? { all: list } : { any: list })}>
          <option value="all">All of these (AND)</option>
          <option value="any">Any of these (OR)</option>
        </select>
        {onRemove && <button type="button" class="btn btn-danger-ghost btn-small" onClick={onRemove}>Remove group</button>}
      </legend>
      {list.length === 0 && <p class="muted cond-empty">{mode === 'all' ? 'No condition: matches everyone.' : 'No condition: matches no one.'}</p>}
      <ul class="cond-list">
        {list.map((n, i) => (
          <li key={i}>
            {isGroup(n)
              ? <Group group={n} onChange={(g) => set(i, g)} depth={depth + 1} path={`${path}-${i}`} fields={fields} tags={tags} onRemove={() => remove(i)} />
              : <Leaf leaf={n} onChange={(l) => set(i, l)} onRemove={() => remove(i)} path={`${path}-${i}`} fields={fields} tags={tags} />}
          </li>
        ))}
      </ul>
      <div class="input-row">
        <button type="button" class="btn btn-small" onClick={() => onChange(withChildren(group, [...list, { field: 'type', op: 'is', value: 'lead' }]))}>Add condition</button>
        {depth < CONDITION_LIMITS.depth && <button type="button" class="btn btn-small" onClick={() => onChange(withChildren(group, [...list, { any: [] }]))}>Add group</button>}
      </div>
    </fieldset>
  );
}

function Leaf({ leaf, onChange, onRemove, path, fields, tags }: { leaf: ConditionLeaf; onChange: (l: ConditionLeaf) => void; onRemove: () => void; path: string; fields: CustomField[]; tags: Tag[] }) {
  const kind = kindOf(leaf.field, fields);
  const ops = OPERATORS[kind] as readonly string[];
  const setField = (field: string) => {
    const k = kindOf(field, fields);
    const op = (OPERATORS[k] as readonly string[])[0];
    onChange({ field, op, value: defaultValue(k, op) });
  };
  const setOp = (op: string) => onChange({ field: leaf.field, op, value: defaultValue(kind, op) });
  const setValue = (value: unknown) => onChange({ ...leaf, value });
  return (
    <div class="cond-leaf">
      <label for={`${path}-field`} class="visually-hidden">Field</label>
      <select id={`${path}-field`} class="input input-small" value={leaf.field} onChange={(e) => setField(e.currentTarget.value)}>
        {Object.keys(BASIC_CONDITION_FIELDS).map((f) => <option key={f} value={f}>{FIELD_LABELS[f]}</option>)}
        {fields.map((f) => <option key={f.key} value={`custom.${f.key}`}>{f.name}</option>)}
      </select>
      <label for={`${path}-op`} class="visually-hidden">Operator</label>
      <select id={`${path}-op`} class="input input-small" value={leaf.op} onChange={(e) => setOp(e.currentTarget.value)}>
        {ops.map((o) => <option key={o} value={o}>{OP_LABELS[o]}</option>)}
      </select>
      <Value kind={kind} op={leaf.op} value={leaf.value} onChange={setValue} path={path} tags={tags} />
      <button type="button" class="btn btn-danger-ghost btn-small" aria-label="Remove condition" onClick={onRemove}>×</button>
    </div>
  );
}

function Value({ kind, op, value, onChange, path, tags }: { kind: ConditionKind; op: string; value: unknown; onChange: (v: unknown) => void; path: string; tags: Tag[] }) {
  const id = `${path}-value`;
  if (NO_VALUE_OPS.includes(op)) return null;
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  if (DAY_OPS.includes(op)) return (<><label for={id} class="visually-hidden">Days</label><input id={id} class="input input-small cond-num" type="number" step={1} value={String(value ?? '')} onInput={(e) => onChange(num(e.currentTarget.value))} /></>);
  if (kind === 'type') {
    if (op === 'in') return (
      <span class="cond-checks" role="group" aria-label="Types">
        {CONTACT_TYPES.map((t) => (
          <label key={t}><input type="checkbox" checked={(value as string[]).includes(t)} onChange={(e) => onChange(e.currentTarget.checked ? [...(value as string[]), t] : (value as string[]).filter((x) => x !== t))} /> {t}</label>
        ))}
      </span>
    );
    return (<><label for={id} class="visually-hidden">Type</label><select id={id} class="input input-small" value={value as string} onChange={(e) => onChange(e.currentTarget.value)}>{CONTACT_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}</select></>);
  }
  if (kind === 'tags') return (
    <span class="cond-checks" role="group" aria-label="Tags">
      {tags.length === 0 && <span class="muted">No tags yet</span>}
      {tags.map((t) => (
        <label key={t.name}><input type="checkbox" checked={(value as string[]).includes(t.name)} onChange={(e) => onChange(e.currentTarget.checked ? [...(value as string[]), t.name] : (value as string[]).filter((x) => x !== t.name))} /> {t.name}</label>
      ))}
    </span>
  );
  const type = (kind === 'number' ? 'number' : kind === 'date' ? 'date' : 'text') as 'text';
  const read = (s: string) => (kind === 'number' ? num(s) : s);
  if (op === 'between') {
    const [a, b] = (value as unknown[]) ?? [];
    return (
      <span class="cond-between">
        <label for={`${id}-a`} class="visually-hidden">From</label>
        <input id={`${id}-a`} class="input input-small" type={type} value={String(a ?? '')} onInput={(e) => onChange([read(e.currentTarget.value), b])} />
        <span aria-hidden="true">and</span>
        <label for={`${id}-b`} class="visually-hidden">To</label>
        <input id={`${id}-b`} class="input input-small" type={type} value={String(b ?? '')} onInput={(e) => onChange([a, read(e.currentTarget.value)])} />
      </span>
    );
  }
  return (<><label for={id} class="visually-hidden">Value</label><input id={id} class="input input-small" type={type} value={String(value ?? '')} onInput={(e) => onChange(read(e.currentTarget.value))} /></>);
}
