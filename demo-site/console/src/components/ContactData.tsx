import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import type { Contact } from '../api/schemas';
import { displayName } from '../lib/format';
import { ConfirmDialog } from './ConfirmDialog';

/** The contact's own data (CONTRACT §9): download everything held about them, or erase them. */
export function ContactDataActions({ contact }: { contact: Contact }) {
  const { api } = useApp();
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const erase = () => {
    setConfirm(false);
    api.data.erase(contact.id).then(() => location.assign('#/contacts'), (e: Error) => setError(e.message));
  };
  return (
    <section class="card panel" aria-labelledby="data-title">
      <h2 id="data-title">Personal data</h2>
      <div class="actions">
        <button type="button" class="btn" onClick={() => api.data.exportContact(contact.id).catch((e: Error) => setError(e.message))}>Export data (JSON)</button>
        <button type="button" class="btn btn-danger" onClick={() => setConfirm(true)}>Erase contact…</button>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {confirm && (
        <ConfirmDialog title={`Erase ${displayName(contact)}?`} confirmLabel="Erase for good" onConfirm={erase} onCancel={() => setConfirm(false)}>
          <p>Their details, custom values, tags, note, conversations and messages are deleted and cannot be restored. Their chat starts over as a new visitor.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Contacts with the same email or phone, each with a link to compare and merge. */
export function DuplicateSuggestions({ contact }: { contact: Contact }) {
  const { api } = useApp();
  const [items, setItems] = useState<Contact[]>([]);
  useEffect(() => {
    let alive = true;
    // suggestions only: a failed read leaves the profile as it was
    api.data.duplicates(contact.id).then((r) => alive && setItems(r.items), () => undefined);
    return () => { alive = false; };
  }, [api, contact.id, contact.email, contact.phone]);
  if (!items.length) return null;
  return (
    <section class="card panel" aria-labelledby="dups-title">
      <h2 id="dups-title">Possible duplicates</h2>
      <ul class="plain-list">
        {items.map((d) => (
          <li key={d.id}>
            {displayName(d)} ({d.type}{d.email ? `, ${d.email}` : ''}{d.phone ? `, ${d.phone}` : ''}){' '}
            <a href={`#/contacts/${encodeURIComponent(contact.id)}/merge/${encodeURIComponent(d.id)}`}>Compare and merge</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
