import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { ApiError } from '../api';
import type { Contact, CustomField, CustomValue } from '../api/schemas';
import { fromCustomValue, toCustomValue } from '../lib/custom-value';

type SaveState = { status: 'idle' | 'saving' | 'saved' | 'error'; message?: string };

/** Every defined custom field with an editor fitting its type; the server's refusals shown inline. */
export function CustomInfo({ contact, onChange }: { contact: Contact; onChange: (c: Contact) => void }) {
  const { api } = useApp();
  const [fields, setFields] = useState<CustomField[] | null>(null);
  const [loadError, setLoadError] = useState(false);
  useEffect(() => { api.customFields.list().then((r) => setFields(r.items), () => setLoadError(true)); }, [api]);

  return (
    <section class="card panel" aria-labelledby="custom-title">
      <div class="panel-head"><h2 id="custom-title">Custom information</h2></div>
      {loadError && <p class="field-error" role="alert">Custom fields could not be loaded. Reload the page to try again.</p>}
      {fields && fields.length === 0 && <p class="muted">No custom fields yet. <a href="#/settings/fields">Create one in Settings → Custom fields</a>.</p>}
      {fields && fields.map((f) => <FieldEditor key={f.key} field={f} contact={contact} onChange={onChange} />)}
    </section>
  );
}

function FieldEditor({ field, contact, onChange }: { field: CustomField; contact: Contact; onChange: (c: Contact) => void }) {
  const { api } = useApp();
  const stored = contact.custom[field.key];
  const [text, setText] = useState(fromCustomValue(stored));
  const [state, setState] = useState<SaveState>({ status: 'idle' });
  const id = `cf-${field.key}`;

  useEffect(() => { if (state.status !== 'error') setText(fromCustomValue(stored)); }, [stored]);

  async function save(value: CustomValue) {
    if (value === (stored ?? null)) return;
    setState({ status: 'saving' });
    try {
      onChange(await api.contacts.patch(contact.id, { custom: { [field.key]: value } }));
      setState({ status: 'saved' });
    } catch (err) {
      const issue = err instanceof ApiError ? err.issues[0]?.message : undefined;
      setState({ status: 'error', message: issue ?? (err instanceof ApiError ? err.message : 'Could not save this value.') });
    }
  }

  const status = state.status === 'saving' ? 'Saving…' : state.status === 'saved' ? 'Saved' : '';
  const describedBy = state.status === 'error' ? `${id}-err` : undefined;
  const typeLabel = { text: 'Text', number: 'Number', date: 'Date', boolean: 'Yes / No' }[field.type];

  return (
    <div class="form-row custom-row" data-field={field.key}>
      <div class="custom-label">
        <label class="field-label" for={id} id={`${id}-label`}>{field.name}</label>
        <span class="type-hint">{typeLabel}</span>
        <span class="save-status" aria-live="polite">{status}</span>
      </div>
      {field.type === 'boolean' ? (
        <button id={id} type="button" role="switch" class="switch" aria-checked={stored === true} aria-labelledby={`${id}-label`} aria-describedby={describedBy}
          onClick={() => save(stored === true ? false : true)}>
          <span class="switch-track" aria-hidden="true"><span class="switch-thumb" /></span>
          <span class="switch-text">{stored === true ? 'Yes' : stored === false ? 'No' : 'Not set'}</span>
        </button>
      ) : (
        <input id={id} class="input" value={text} aria-invalid={state.status === 'error'} aria-describedby={describedBy}
          type={(field.type === 'date' ? 'date' : 'text') as 'text'} inputMode={field.type === 'number' ? 'decimal' : undefined}
          onInput={(e) => { setText(e.currentTarget.value); if (state.status === 'error') setState({ status: 'idle' }); }}
          onBlur={() => save(toCustomValue(field.type, text))}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void save(toCustomValue(field.type, text)); } }} />
      )}
      {state.status === 'error' && <p id={`${id}-err`} class="field-error" role="alert">{state.message?.replace(/\.?$/, '.')} Nothing was saved.</p>}
    </div>
  );
}
