import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../../app-context';
import type { CustomField } from '../../api/schemas';
import { BASIC_CONDITION_FIELDS, DAY_OPS, NO_VALUE_OPS, OPERATORS, type ConditionKind } from '../../../../../widget/src/contract/conditions';
import type { Rule, RuleAction, RuleRun, Trigger } from '../../../../../widget/src/contract/zod/rules';
import type { Webhook } from '../../../../../widget/src/contract/zod/webhooks';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { errorText } from '../../lib/issues';
import { ruleSentence } from '../../lib/rule-sentence';

type Leaf = { field: string; op: string; value: string };
type ActionKind = 'addTag' | 'removeTag' | 'setField' | 'clearField' | 'setType' | 'webhook';
type DraftAction = { kind: ActionKind; key: string; value: string };
type Draft = { id?: string; name: string; on: Trigger['on']; param: string; leaves: Leaf[]; actions: DraftAction[] };

const TRIGGERS: [Trigger['on'], string][] = [
  ['contact.created', 'a contact is created'], ['contact.updated', 'a contact is updated'], ['contact.type_changed', 'the type changes'],
  ['contact.tag_added', 'a tag is added'], ['contact.tag_removed', 'a tag is removed'], ['contact.identified', 'a contact is identified'],
  ['message.received', 'a visitor sends a message'], ['conversation.resolved', 'a conversation is resolved'], ['contact.inactive', 'a contact is inactive'],
];
const PARAM_LABEL: Partial<Record<Trigger['on'], string>> = {
  'contact.updated': 'Fields (comma separated, empty: any)', 'contact.type_changed': 'To type (empty: any)',
  'contact.tag_added': 'Tag (empty: any)', 'contact.tag_removed': 'Tag (empty: any)', 'contact.inactive': 'Days',
};
const ACTIONS: [ActionKind, string][] = [['addTag', 'add tag'], ['removeTag', 'remove tag'], ['setField', 'set field'], ['clearField', 'clear field'], ['setType', 'make it a'], ['webhook', 'call webhook']];
const EMPTY: Draft = { name: '', on: 'contact.tag_added', param: '', leaves: [], actions: [{ kind: 'addTag', key: '', value: '' }] };

const kindOf = (field: string, fields: CustomField[]): ConditionKind =>
  field.startsWith('custom.') ? (fields.find((f) => f.key === field.slice(7))?.type ?? 'text') : BASIC_CONDITION_FIELDS[field as keyof typeof BASIC_CONDITION_FIELDS] ?? 'text';

function triggerOf(d: Draft): Trigger {
  const p = d.param.trim();
  switch (d.on) {
    case 'contact.updated': return p ? { on: d.on, fields: p.split(',').map((x) => x.trim()).filter(Boolean) } : { on: d.on };
    case 'contact.type_changed': return p ? { on: d.on, to: p as 'lead' } : { on: d.on };
    case 'contact.tag_added': case 'contact.tag_removed': return p ? { on: d.on, tag: p } : { on: d.on };
    case 'contact.inactive': return { on: d.on, days: Number(p) };
    default: return { on: d.on } as Trigger;
  }
}
function valueOf(l: Leaf, kind: ConditionKind): unknown {
  if (NO_VALUE_OPS.includes(l.op)) return undefined;
  if (DAY_OPS.includes(l.op)) return Number(l.value);
  const list = l.value.split(',').map((x) => x.trim()).filter(Boolean);
  if (kind === 'tags' || l.op === 'in') return list;
  if (l.op === 'between') return kind === 'number' ? list.map(Number) : list;
  return kind === 'number' ? Number(l.value) : l.value;
}
function actionOf(a: DraftAction, fields: CustomField[]): RuleAction {
  switch (a.kind) {
    case 'addTag': return { addTag: a.value };
    case 'removeTag': return { removeTag: a.value };
    case 'clearField': return { clearField: a.key };
    case 'setType': return { setType: (a.value || 'lead') as 'lead' };
    case 'webhook': return { webhook: a.key };
    case 'setField': {
      const type = fields.find((f) => f.key === a.key)?.type;
      return { setField: { key: a.key, value: type === 'number' ? Number(a.value) : type === 'boolean' ? a.value === 'yes' : a.value } };
    }
  }
}
const bodyOf = (d: Draft, fields: CustomField[]) => ({
  name: d.name.trim() || 'Untitled rule', trigger: triggerOf(d),
  where: d.leaves.length ? { all: d.leaves.map((l) => ({ field: l.field, op: l.op, value: valueOf(l, kindOf(l.field, fields)) })) } : null,
  actions: d.actions.map((a) => actionOf(a, fields)),
});
function draftOf(r: Rule): Draft {
  const t = r.trigger as Record<string, unknown>;
  const param = t.fields ? (t.fields as string[]).join(', ') : String(t.to ?? t.tag ?? t.days ?? '');
  const leaves = r.where && 'all' in r.where ? r.where.all.filter((n) => 'field' in n).map((n) => n as { field: string; op: string; value?: unknown })
    .map((n) => ({ field: n.field, op: n.op, value: Array.isArray(n.value) ? n.value.join(', ') : n.value === undefined ? '' : String(n.value) })) : [];
  const actions = r.actions.map((a): DraftAction => {
    if ('addTag' in a) return { kind: 'addTag', key: '', value: a.addTag };
    if ('removeTag' in a) return { kind: 'removeTag', key: '', value: a.removeTag };
    if ('setField' in a) return { kind: 'setField', key: a.setField.key, value: typeof a.setField.value === 'boolean' ? (a.setField.value ? 'yes' : 'no') : String(a.setField.value) };
    if ('clearField' in a) return { kind: 'clearField', key: a.clearField, value: '' };
    if ('setType' in a) return { kind: 'setType', key: '', value: a.setType };
    if ('webhook' in a) return { kind: 'webhook', key: a.webhook, value: '' };
    return { kind: 'addTag', key: '', value: '' };
  });
  return { id: r.id, name: r.name, on: r.trigger.on, param, leaves, actions };
}

/** Settings → Automation → Rules: the list in order with toggles, a sentence-like editor, run logs and dry runs. */
export function Rules() {
  const { api } = useApp();
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [fields, setFields] = useState<CustomField[]>([]);
  const [hooks, setHooks] = useState<Webhook[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saveError, setSaveError] = useState('');
  const [runs, setRuns] = useState<{ id: string; items: RuleRun[]; dry?: string } | null>(null);
  const [confirm, setConfirm] = useState<Rule | null>(null);
  const [notice, setNotice] = useState('');

  const load = () => { setError(null); api.rules.list().then((r) => setRules(r.items), setError); };
  useEffect(() => {
    load();
    api.customFields.list().then((r) => setFields(r.items), setError);
    api.webhooks.list().then((r) => setHooks(r.items), () => setHooks([]));
  }, [api]);
  const hookName = (id: string) => hooks.find((h) => h.id === id)?.url ?? id;
  const act = async (fn: () => Promise<unknown>, done: string) => { try { await fn(); setNotice(done); load(); } catch (err) { setError(err); } };

  async function save(e: Event) {
    e.preventDefault();
    if (!draft) return;
    const body = bodyOf(draft, fields);
    try {
      if (draft.id) await api.rules.update(draft.id, body);
      else await api.rules.create({ ...body, where: body.where ?? undefined });
      setNotice(`Rule ${body.name} saved.`); setDraft(null); setSaveError(''); load();
    } catch (err) { setSaveError(errorText(err, 'Could not save the rule.')); }
  }
  async function showRuns(r: Rule) {
    if (runs?.id === r.id) return setRuns(null);
    try { setRuns({ id: r.id, items: (await api.rules.runs(r.id)).items }); } catch (err) { setError(err); }
  }
  async function dryRun(r: Rule) {
    try {
      const d = await api.rules.dryRun(r.id);
      setRuns({ id: r.id, items: runs?.id === r.id ? runs.items : (await api.rules.runs(r.id)).items, dry: `${d.matches.toLocaleString()} existing contact${d.matches === 1 ? '' : 's'} match` });
    } catch (err) { setError(err); }
  }
  const set = (patch: Partial<Draft>) => draft && setDraft({ ...draft, ...patch });
  const fieldOptions = [...Object.keys(BASIC_CONDITION_FIELDS), ...fields.map((f) => `custom.${f.key}`)];

  return (
    <section class="page" aria-labelledby="rules-title">
      <header class="page-head"><div>
        <p class="eyebrow">Settings · Automation</p>
        <h1 id="rules-title">Rules</h1>
        <p class="muted">When something happens to a contact, and it matches, act on it: tags, fields, type, webhooks. Rules run in list order, in the same transaction as the change.</p>
      </div>
      {!draft && <button type="button" class="btn btn-primary" onClick={() => { setDraft({ ...EMPTY }); setSaveError(''); }}>New rule</button>}</header>
      <p class="visually-hidden" role="status">{notice}</p>
      {error ? <ErrorState error={error} onRetry={load} /> : null}
      {draft && (
        <form class="card panel" aria-labelledby="rule-editor-title" onSubmit={save}>
          <h2 id="rule-editor-title">{draft.id ? 'Edit rule' : 'New rule'}</h2>
          <div class="form-row"><label class="field-label" for="rule-name">Name</label>
            <input id="rule-name" class="input" value={draft.name} onInput={(e) => set({ name: e.currentTarget.value })} /></div>
          <div class="input-row">
            <label class="field-label" for="rule-on">When</label>
            <select id="rule-on" class="input input-small" value={draft.on} onChange={(e) => set({ on: e.currentTarget.value as Trigger['on'], param: '' })}>
              {TRIGGERS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
            </select>
            {PARAM_LABEL[draft.on] && <>
              <label class="field-label" for="rule-param">{PARAM_LABEL[draft.on]}</label>
              <input id="rule-param" class="input input-small" value={draft.param} onInput={(e) => set({ param: e.currentTarget.value })} />
            </>}
          </div>
          <fieldset class="rule-block"><legend>And (every condition)</legend>
            {draft.leaves.map((l, i) => {
              const kind = kindOf(l.field, fields);
              const upd = (p: Partial<Leaf>) => set({ leaves: draft.leaves.map((x, j) => (j === i ? { ...x, ...p } : x)) });
              return (
                <div class="input-row" key={i}>
                  <label class="visually-hidden" for={`leaf-${i}-field`}>Condition {i + 1} field</label>
                  <select id={`leaf-${i}-field`} class="input input-small" value={l.field} onChange={(e) => upd({ field: e.currentTarget.value, op: OPERATORS[kindOf(e.currentTarget.value, fields)][0] })}>
                    {fieldOptions.map((f) => <option key={f} value={f}>{f.replace(/^custom\./, '')}</option>)}
                  </select>
                  <label class="visually-hidden" for={`leaf-${i}-op`}>Condition {i + 1} operator</label>
                  <select id={`leaf-${i}-op`} class="input input-small" value={l.op} onChange={(e) => upd({ op: e.currentTarget.value })}>
                    {OPERATORS[kind].map((o) => <option key={o} value={o}>{o.replace(/_/g, ' ')}</option>)}
                  </select>
                  {!NO_VALUE_OPS.includes(l.op) && <>
                    <label class="visually-hidden" for={`leaf-${i}-value`}>Condition {i + 1} value</label>
                    <input id={`leaf-${i}-value`} class="input input-small" value={l.value} onInput={(e) => upd({ value: e.currentTarget.value })} />
                  </>}
                  <button type="button" class="btn btn-small btn-ghost" aria-label={`Remove condition ${i + 1}`} onClick={() => set({ leaves: draft.leaves.filter((_, j) => j !== i) })}>Remove</button>
                </div>
              );
            })}
            <button type="button" class="btn btn-small" onClick={() => set({ leaves: [...draft.leaves, { field: 'type', op: 'is', value: 'lead' }] })}>Add condition</button>
          </fieldset>
          <fieldset class="rule-block"><legend>Then</legend>
            {draft.actions.map((a, i) => {
              const upd = (p: Partial<DraftAction>) => set({ actions: draft.actions.map((x, j) => (j === i ? { ...x, ...p } : x)) });
              return (
                <div class="input-row" key={i}>
                  <label class="visually-hidden" for={`act-${i}-kind`}>Action {i + 1}</label>
                  <select id={`act-${i}-kind`} class="input input-small" value={a.kind} onChange={(e) => upd({ kind: e.currentTarget.value as ActionKind, key: '', value: '' })}>
                    {ACTIONS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
                  </select>
                  {(a.kind === 'setField' || a.kind === 'clearField') && <>
                    <label class="visually-hidden" for={`act-${i}-key`}>Action {i + 1} field</label>
                    <select id={`act-${i}-key`} class="input input-small" value={a.key} onChange={(e) => upd({ key: e.currentTarget.value })}>
                      <option value="">Choose a field</option>
                      {fields.map((f) => <option key={f.key} value={f.key}>{f.name}</option>)}
                    </select>
                  </>}
                  {a.kind === 'webhook' && <>
                    <label class="visually-hidden" for={`act-${i}-key`}>Action {i + 1} webhook</label>
                    <select id={`act-${i}-key`} class="input input-small" value={a.key} onChange={(e) => upd({ key: e.currentTarget.value })}>
                      <option value="">Choose a webhook</option>
                      {hooks.map((h) => <option key={h.id} value={h.id}>{h.url}</option>)}
                    </select>
                  </>}
                  {a.kind === 'setType' && <>
                    <label class="visually-hidden" for={`act-${i}-value`}>Action {i + 1} type</label>
                    <select id={`act-${i}-value`} class="input input-small" value={a.value || 'lead'} onChange={(e) => upd({ value: e.currentTarget.value })}>
                      <option value="lead">lead</option><option value="customer">customer</option>
                    </select>
                  </>}
                  {(a.kind === 'addTag' || a.kind === 'removeTag' || a.kind === 'setField') && <>
                    <label class="visually-hidden" for={`act-${i}-value`}>Action {i + 1} {a.kind === 'setField' ? 'value' : 'tag'}</label>
                    <input id={`act-${i}-value`} class="input input-small" value={a.value} onInput={(e) => upd({ value: e.currentTarget.value })} />
                  </>}
                  {draft.actions.length > 1 && <button type="button" class="btn btn-small btn-ghost" aria-label={`Remove action ${i + 1}`} onClick={() => set({ actions: draft.actions.filter((_, j) => j !== i) })}>Remove</button>}
                </div>
              );
            })}
            <button type="button" class="btn btn-small" onClick={() => set({ actions: [...draft.actions, { kind: 'addTag', key: '', value: '' }] })}>Add action</button>
          </fieldset>
          <p class="rule-sentence" data-testid="rule-preview"><span class="strong">Reads: </span>{ruleSentence(bodyOf(draft, fields), hookName)}</p>
          {saveError && <p class="field-error" role="alert">{saveError}</p>}
          <div class="input-row">
            <button type="submit" class="btn btn-primary">Save rule</button>
            <button type="button" class="btn" onClick={() => setDraft(null)}>Cancel</button>
          </div>
        </form>
      )}
      <div class="card table-card">
        {!rules ? <Loading /> : rules.length === 0 ? <EmptyState title="No rules yet">Create one: “When a tag is added: vip → set plan to gold”.</EmptyState> : (
          <ol class="rule-list" aria-label="Rules in the order they run">
            {rules.map((r, i) => (
              <li key={r.id} class="rule-item">
                <div class="rule-main">
                  <button type="button" role="switch" class="switch" aria-checked={r.enabled} aria-label={`Enabled: ${r.name}`}
                    onClick={() => act(() => api.rules.update(r.id, { enabled: !r.enabled }), `Rule ${r.name} ${r.enabled ? 'disabled' : 'enabled'}.`)}>
                    <span class="switch-track" aria-hidden="true"><span class="switch-thumb" /></span>
                  </button>
                  <div><p class="strong">{r.name}</p><p class="muted rule-sentence">{ruleSentence(r, hookName)}</p></div>
                </div>
                <div class="cell-actions">
                  <button type="button" class="btn btn-small btn-ghost" disabled={i === 0} aria-label={`Move ${r.name} up`} onClick={() => act(() => api.rules.update(r.id, { position: i - 1 }), `Rule ${r.name} moved up.`)}>↑</button>
                  <button type="button" class="btn btn-small btn-ghost" disabled={i === rules.length - 1} aria-label={`Move ${r.name} down`} onClick={() => act(() => api.rules.update(r.id, { position: i + 1 }), `Rule ${r.name} moved down.`)}>↓</button>
                  <button type="button" class="btn btn-small btn-ghost" aria-label={`Edit ${r.name}`} onClick={() => { setDraft(draftOf(r)); setSaveError(''); }}>Edit</button>
                  <button type="button" class="btn btn-small btn-ghost" aria-label={`Runs of ${r.name}`} aria-expanded={runs?.id === r.id} onClick={() => showRuns(r)}>Runs</button>
                  <button type="button" class="btn btn-small btn-ghost" aria-label={`Dry run ${r.name}`} onClick={() => dryRun(r)}>Dry run</button>
                  <button type="button" class="btn btn-small btn-danger-ghost" aria-label={`Delete ${r.name}`} onClick={() => setConfirm(r)}>Delete</button>
                </div>
                {runs?.id === r.id && (
                  <div class="rule-runs">
                    {runs.dry && <p class="strong" role="status">{runs.dry}</p>}
                    {runs.items.length === 0 ? <p class="muted">No runs yet.</p> : (
                      <table class="table table-compact" aria-label={`Runs of ${r.name}`}>
                        <thead><tr><th scope="col">When</th><th scope="col">Contact</th><th scope="col">Trigger</th><th scope="col">Matched</th><th scope="col">Actions</th></tr></thead>
                        <tbody>{runs.items.map((x) => (
                          <tr key={x.id}>
                            <td><time dateTime={x.at}>{new Date(x.at).toLocaleString()}</time></td>
                            <td><a href={`#/contacts/${encodeURIComponent(x.contactId)}`}>{x.contactId}</a></td>
                            <td>{x.trigger}</td>
                            <td>{x.matched ? 'yes' : 'no'}</td>
                            <td>{x.actions.map((a, j) => <span key={j} class={a.ok ? 'run-ok' : 'run-failed'}>{a.ok ? '✓' : '✗'} {Object.keys(a.action)[0]}{a.error ? ` (${a.error})` : ''} </span>)}</td>
                          </tr>
                        ))}</tbody>
                      </table>
                    )}
                  </div>
                )}
              </li>
            ))}
          </ol>
        )}
      </div>
      {confirm && (
        <ConfirmDialog title={`Delete rule “${confirm.name}”?`} confirmLabel="Delete rule" onCancel={() => setConfirm(null)} onConfirm={() => { const r = confirm; setConfirm(null); void act(() => api.rules.remove(r.id), `Rule ${r.name} deleted.`); }}>
          <p>Its run log goes with it. Changes it already made stay.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
