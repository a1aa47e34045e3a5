import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { errorText, invalidProps, issuesByField } from '../lib/issues';
import type { Contact } from '../api/schemas';
import { OtherDetails } from './OtherDetails';
import { TypeBadge } from './TypeBadge';
import { localTimeIn } from '../lib/format';

type Draft = { name: string; email: string; phone: string };
const fromContact = (c: Contact): Draft => ({ name: c.name ?? '', email: c.email ?? '', phone: c.phone ?? '' });

/** Name, type, IDs, timezone; name/email/phone editable (which may turn a guest into a lead). */
export function BasicInfo({ contact, onChange }: { contact: Contact; onChange: (c: Contact) => void }) {
  const { api } = useApp();
  const [draft, setDraft] = useState<Draft>(fromContact(contact));
  const [editing, setEditing] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, tick] = useState(0);

  useEffect(() => { if (!editing) setDraft(fromContact(contact)); }, [contact, editing]);
  useEffect(() => { const t = setInterval(() => tick((n) => n + 1), 30_000); return () => clearInterval(t); }, []);

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true); setErrors({}); setFormError(null);
    const body: Record<string, string | null> = {};
    (['name', 'email', 'phone'] as const).forEach((k) => {
      const v = draft[k].trim();
      if (v !== (contact[k] ?? '')) body[k] = v === '' ? null : v;
    });
    try {
      if (Object.keys(body).length) onChange(await api.contacts.patch(contact.id, body));
      setEditing(false);
    } catch (err) {
      // each message under its field; the summary line only for what names no field here (the draft stays as typed)
      const byField = issuesByField(err);
      setErrors(byField);
      if (!(['name', 'email', 'phone'] as const).some((k) => byField[k])) setFormError(errorText(err, 'Could not save.'));
    } finally {
      setBusy(false);
    }
  }

  const local = localTimeIn(contact.timezone);
  const input = (k: keyof Draft, label: string, type: 'text' | 'email' | 'tel') => (
    <div class="form-row">
      <label class="field-label" for={`basic-${k}`}>{label}</label>
      <input id={`basic-${k}`} class="input" type={type as 'text'} value={draft[k]} {...invalidProps(`basic-${k}`, errors[k])}
        onInput={(e) => setDraft({ ...draft, [k]: e.currentTarget.value })} />
      {errors[k] && <p id={`basic-${k}-err`} class="field-error" role="alert">{errors[k]}</p>}
    </div>
  );

  return (
    <section class="card panel" aria-labelledby="basic-title">
      <div class="panel-head">
        <h2 id="basic-title">Basic information</h2>
        {!editing && <button type="button" class="btn btn-small" onClick={() => setEditing(true)}>Edit details</button>}
      </div>
      {editing ? (
        <form onSubmit={save} aria-label="Edit contact details" noValidate>
          {input('name', 'Name', 'text')}
          {input('email', 'Email', 'email')}
          {input('phone', 'Phone', 'tel')}
          {formError && <p class="field-error" role="alert">{formError}</p>}
          <p class="hint">A name plus an email or phone turns a Guest into a Lead.</p>
          <div class="actions">
            <button type="submit" class="btn btn-primary" disabled={busy}>{busy ? 'Saving…' : 'Save details'}</button>
            <button type="button" class="btn" onClick={() => { setEditing(false); setErrors({}); setFormError(null); }}>Cancel</button>
          </div>
        </form>
      ) : (
        <dl class="facts">
          <dt>Type</dt><dd><TypeBadge type={contact.type} /></dd>
          <dt>Name</dt><dd>{contact.name ?? <span class="cell-muted">Not known yet</span>}</dd>
          <dt>Email</dt><dd>{contact.email ?? <span class="cell-muted">—</span>}</dd>
          <dt>Phone</dt><dd>{contact.phone ?? <span class="cell-muted">—</span>}</dd>
          <dt>Timezone</dt><dd>{contact.timezone ? <>{contact.timezone}{local && <span class="cell-muted"> · {local} local time</span>}</> : <span class="cell-muted">Unknown</span>}</dd>
          {!!contact.otherDetails?.length && <><dt>Other details</dt><dd><OtherDetails list={contact.otherDetails} /></dd></>}
          {contact.type === 'customer' && <><dt>Customer ID</dt><dd><code>{contact.customerId ?? '—'}</code></dd></>}
          <dt>Contact ID</dt><dd><code class="mono-small">{contact.id}</code></dd>
        </dl>
      )}
    </section>
  );
}
