import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../../app-context';
import type { CustomField, FieldType } from '../../api/schemas';
// The server's own rule, imported: the key shown while typing is the key the server will create.
import { deriveFieldKey } from '../../../../../server-stub/src/domain/custom-fields';
import { conflictText, errorText, issuesByField } from '../../lib/issues';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState, ErrorState, Loading } from '../../components/States';

const TYPES: { value: FieldType; label: string }[] = [
  { value: 'text', label: 'Text' }, { value: 'number', label: 'Number' }, { value: 'date', label: 'Date' }, { value: 'boolean', label: 'Yes / No' },
];
const typeLabel = (t: FieldType) => TYPES.find((x) => x.value === t)?.label ?? t;

/** Settings → Contact → Custom fields: create, list, delete (with a count of contacts holding a value). */
export function CustomFields() {
  const { api } = useApp();
  const [fields, setFields] = useState<CustomField[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [type, setType] = useState<FieldType>('text');
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [confirm, setConfirm] = useState<CustomField | null>(null);

  const load = () => { setError(null); api.customFields.list().then((r) => setFields(r.items), setError); };
  useEffect(load, [api]);

  async function create(e: Event) {
    e.preventDefault();
    if (!name.trim()) return setFormError('Give the field a name, e.g. "Plan" or "Renewal date".');
    setFormError(null);
    try {
      const f = await api.customFields.create(name.trim(), type);
      setNotice(`Field "${f.name}" created with key ${f.key}.`);
      setName(''); setType('text'); load();
    } catch (err) {
      // the key is derived from the name, so whatever the server says of either belongs to the name box
      const byField = issuesByField(err);
      setFormError(conflictText(err, `A field with the key “${key}”`) ?? byField.name ?? byField.key ?? errorText(err, 'Could not create the field.'));
    }
  }

  async function remove(f: CustomField) {
    setConfirm(null);
    try { await api.customFields.remove(f.key); setNotice(`Field "${f.name}" deleted.`); load(); }
    catch (err) { setError(err); }
  }

  const key = name.trim() ? deriveFieldKey(name) : '';
  return (
    <section class="page" aria-labelledby="fields-title">
      <header class="page-head"><div>
        <p class="eyebrow">Settings · Contact</p>
        <h1 id="fields-title">Custom fields</h1>
        <p class="muted">Extra information you keep on every contact: plan, seats, renewal date… Set by agents, the host page or integrations.</p>
      </div></header>

      <form class="card panel create-form" onSubmit={create} aria-labelledby="new-field-title">
        <h2 id="new-field-title">New field</h2>
        <div class="form-grid">
          <div class="form-row">
            <label class="field-label" for="field-name">Name</label>
            <input id="field-name" class="input" value={name} onInput={(e) => { setName(e.currentTarget.value); setFormError(null); }}
              aria-invalid={formError ? true : undefined} aria-describedby={formError ? 'field-name-err field-key-hint' : 'field-key-hint'} />
            <p id="field-key-hint" class="hint">Key: <code data-testid="derived-key">{key || '—'}</code> (used by the API and <code>Chative.update</code>)</p>
            {formError && <p id="field-name-err" class="field-error" role="alert">{formError}</p>}
          </div>
          <div class="form-row">
            <label class="field-label" for="field-type">Type</label>
            <select id="field-type" class="input" value={type} onChange={(e) => setType(e.currentTarget.value as FieldType)}>
              {TYPES.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
            </select>
          </div>
          <div class="form-row form-row-end"><button type="submit" class="btn btn-primary">Create field</button></div>
        </div>
      </form>
      <p class="visually-hidden" role="status">{notice}</p>

      {error ? <ErrorState error={error} onRetry={load} /> : null}
      <div class="card table-card">
        {!fields ? <Loading /> : fields.length === 0 ? <EmptyState title="No custom fields yet">Create your first field above — for example “Plan” (Text) or “Seats” (Number).</EmptyState> : (
          <div class="table-scroll"><table class="table" aria-label="Custom fields">
            <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Type</th><th scope="col">Contacts with a value</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {fields.map((f) => (
                <tr key={f.key}>
                  <td class="strong">{f.name}</td>
                  <td><code>{f.key}</code></td>
                  <td><span class="pill">{typeLabel(f.type)}</span></td>
                  <td>{(f.contactCount ?? 0).toLocaleString()}</td>
                  <td class="cell-actions"><button type="button" class="btn btn-small btn-danger-ghost" onClick={() => setConfirm(f)} aria-label={`Delete field ${f.name}`}>Delete</button></td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
      </div>
      {confirm && (
        <ConfirmDialog title={`Delete “${confirm.name}”?`} confirmLabel="Delete field" onCancel={() => setConfirm(null)} onConfirm={() => remove(confirm)}>
          <p data-testid="confirm-count">{(confirm.contactCount ?? 0) === 0 ? 'No contact holds a value for this field.' : `${confirm.contactCount!.toLocaleString()} contact${confirm.contactCount === 1 ? ' holds a value' : 's hold a value'} for this field.`} Their values will be removed. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
