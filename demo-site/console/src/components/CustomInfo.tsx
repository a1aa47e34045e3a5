import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { atLeast } from '../lib/roles';
import type { Contact, CustomField, CustomValue } from '../api/schemas';
import { fromCustomValue, toCustomValue } from '../lib/custom-value';
import { errorText, invalidProps, issuesByField } from '../lib/issues';

type SaveState = { status: 'idle' | 'saving' | 'saved' | 'error'; message?: string };

/** Every defined custom field with an editor fitting its type; the server's refusals shown inline. */
export function CustomInfo({ contact, onChange }: { contact: Contact; onChange: (c: Contact) => void }) {
  const { api, me } = useApp();
  const [fields, setFields] = useState<CustomField[] | null>(null);
  const [loadError, setLoadError] = useState(false);
  useEffect(() => { api.customFields.list().then((r) => setFields(r.items), () => setLoadError(true)); }, [api]);

  return (
    <section class="card panel" aria-labelledby="custom-title">
      <div class="panel-head"><h2 id="custom-title">Custom information</h2></div>
      {loadError && <p class="field-error" role="alert">Custom fields could not be loaded. Reload the page to try again.</p>}
      {fields && fields.length === 0 && <p class="muted">No custom fields yet. {atLeast(me.role, 'admin') ? <a href="#/settings/fields">Create one in Settings → Custom fields</a> : 'An admin can create them in Settings → Custom fields'}.</p>}
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
      // the server names this field as ["custom", key]; anything else it said goes here too, in its words
      const mine = issuesByField(err, (p) => (p[0] === 'custom' ? String(p[1]) : undefined))[field.key];
      setState({ status: 'error', message: mine ?? errorText(err, 'Could not save this value.') });
    }
  }

  const status = state.status === 'saving' ? 'Saving…' : state.status === 'saved' ? 'Saved' : '';
  const error = state.status === 'error' ? state.message : undefined;
  const typeLabel = { text: 'Text', number: 'Number', date: 'Date', boolean: 'Yes / No' }[field.type];

  return (
    <div class="form-row custom-row" data-field={field.key}>
      <div class="custom-label">
        {field.type === 'boolean'
          ? <span class="field-label" id={`${id}-label`}>{field.name}</span>
          : <label class="field-label" for={id} id={`${id}-label`}>{field.name}</label>}
        <span class="type-hint">{typeLabel}</span>
        <span class="save-status" aria-live="polite">{status}</span>
      </div>
      {field.type === 'boolean' ? (
        // three states, not a switch: "Not set" is an answer of its own (a value can be unset again)
        <div id={id} role="radiogroup" class="segmented" aria-labelledby={`${id}-label`} {...invalidProps(id, error)}>
          {([[true, 'Yes'], [false, 'No'], [null, 'Not set']] as const).map(([value, label]) => (
            <label key={label} class="segment">
              <input type="radio" name={id} checked={(stored ?? null) === value} onChange={() => void save(value)} /> {label}
            </label>
          ))}
        </div>
      ) : (
        <input id={id} class="input" value={text} {...invalidProps(id, error)}
          type={(field.type === 'date' ? 'date' : 'text') as 'text'} inputMode={field.type === 'number' ? 'decimal' : undefined}
          onInput={(e) => { setText(e.currentTarget.value); if (state.status === 'error') setState({ status: 'idle' }); }}
          // refused and not edited since (typing clears the error): leaving the box does not ask again
          onBlur={() => { if (state.status !== 'error') void save(toCustomValue(field.type, text)); }}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void save(toCustomValue(field.type, text)); } }} />
      )}
      {error && <p id={`${id}-err`} class="field-error" role="alert">{error} Nothing was saved.</p>}
    </div>
  );
}
