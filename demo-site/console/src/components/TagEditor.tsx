import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { errorText, invalidProps, issuesByField } from '../lib/issues';
import type { Contact } from '../api/schemas';

/** The contact's tags: remove one, add an existing one, or create one on the fly. */
export function TagEditor({ contact, onChange }: { contact: Contact; onChange: (c: Contact) => void }) {
  const { api } = useApp();
  const [all, setAll] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null); // not about the box: no aria-invalid on it
  const [busy, setBusy] = useState(false);
  useEffect(() => { api.tags.list().then((r) => setAll(r.items.map((t) => t.name)), () => {}); }, [api, contact.tags.length]);

  async function add(e: Event) {
    e.preventDefault();
    const tag = name.trim();
    if (!tag) return setError('Type a tag name.');
    setBusy(true); setError(null);
    try {
      onChange(await api.contacts.addTag(contact.id, tag));
      setName('');
    } catch (err) {
      setError(issuesByField(err).tag ?? errorText(err, 'Could not add the tag.')); // the name stays in the box to fix
    } finally {
      setBusy(false);
    }
  }

  async function remove(tag: string) {
    setRemoveError(null);
    try { onChange(await api.contacts.removeTag(contact.id, tag)); }
    catch (err) { setRemoveError(errorText(err, 'Could not remove the tag.')); }
  }

  const suggestions = all.filter((t) => !contact.tags.some((x) => x.toLowerCase() === t.toLowerCase()));
  return (
    <section class="card panel" aria-labelledby="tags-title">
      <div class="panel-head"><h2 id="tags-title">Tags</h2></div>
      {contact.tags.length ? (
        <ul class="chips" aria-label="Tags on this contact">
          {contact.tags.map((t) => (
            <li key={t} class="chip">{t}<button type="button" class="chip-x" aria-label={`Remove tag ${t}`} onClick={() => remove(t)}>×</button></li>
          ))}
        </ul>
      ) : <p class="muted">No tags yet.</p>}
      <form class="input-row" onSubmit={add}>
        <label class="visually-hidden" for="add-tag">Add a tag</label>
        <input id="add-tag" class="input" list="tag-suggestions" placeholder="Add or create a tag" value={name}
          onInput={(e) => { setName(e.currentTarget.value); setError(null); }} {...invalidProps('add-tag', error)} />
        <datalist id="tag-suggestions">{suggestions.map((t) => <option key={t} value={t} />)}</datalist>
        <button type="submit" class="btn" disabled={busy}>Add tag</button>
      </form>
      {error && <p id="add-tag-err" class="field-error" role="alert">{error}</p>}
      {removeError && <p class="field-error" role="alert">{removeError}</p>}
    </section>
  );
}
