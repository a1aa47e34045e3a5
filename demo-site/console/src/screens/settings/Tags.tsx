import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../../app-context';
import type { Tag } from '../../api/schemas';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { conflictText, errorText, invalidProps, issuesByField } from '../../lib/issues';

/** Settings → Contact → Tags: create, rename, delete, with usage counts. */
export function Tags() {
  const { api } = useApp();
  const [tags, setTags] = useState<Tag[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ name: string; to: string; error?: string } | null>(null);
  const [confirm, setConfirm] = useState<Tag | null>(null);
  const [notice, setNotice] = useState('');

  const load = () => { setError(null); api.tags.list().then((r) => setTags(r.items), setError); };
  useEffect(load, [api]);
  const msg = (err: unknown, fallback: string) => issuesByField(err).name ?? errorText(err, fallback);

  async function create(e: Event) {
    e.preventDefault();
    if (!name.trim()) return setFormError('Type a tag name, e.g. “VIP”.');
    setFormError(null);
    try {
      const tag = await api.tags.create(name.trim());
      // names are case-insensitive: "vip" finds "VIP", and saying "created" would be untrue
      if (!tag.created) return setFormError(`A tag “${tag.name}” already exists. Names are case-insensitive.`);
      setNotice(`Tag ${tag.name} created.`); setName(''); load();
    } catch (err) { setFormError(msg(err, 'Could not create the tag.')); }
  }
  async function rename(e: Event) {
    e.preventDefault();
    if (!editing) return;
    try { await api.tags.rename(editing.name, editing.to.trim()); setNotice(`Tag renamed to ${editing.to.trim()}.`); setEditing(null); load(); }
    catch (err) { setEditing({ ...editing, error: conflictText(err, `A tag “${editing.to.trim()}”`) ?? msg(err, 'Could not rename.') }); }
  }
  async function remove(t: Tag) {
    setConfirm(null);
    try { await api.tags.remove(t.name); setNotice(`Tag ${t.name} deleted.`); load(); } catch (err) { setError(err); }
  }

  return (
    <section class="page" aria-labelledby="tags-page-title">
      <header class="page-head"><div>
        <p class="eyebrow">Settings · Contact</p>
        <h1 id="tags-page-title">Tags</h1>
        <p class="muted">Group contacts (“VIP”, “Beta”, “Churn risk”) and filter the contact list by them. Names are case-insensitive.</p>
      </div></header>
      <form class="card panel input-row" onSubmit={create}>
        <label class="visually-hidden" for="new-tag">New tag name</label>
        <input id="new-tag" class="input" placeholder="New tag name" value={name} onInput={(e) => { setName(e.currentTarget.value); setFormError(null); }} {...invalidProps('new-tag', formError)} />
        <button type="submit" class="btn btn-primary">Create tag</button>
      </form>
      {formError && <p id="new-tag-err" class="field-error" role="alert">{formError}</p>}
      <p class="visually-hidden" role="status">{notice}</p>
      {error ? <ErrorState error={error} onRetry={load} /> : null}
      <div class="card table-card">
        {!tags ? <Loading /> : tags.length === 0 ? <EmptyState title="No tags yet">Create one above, or add one straight from a contact’s profile.</EmptyState> : (
          <div class="table-scroll"><table class="table" aria-label="Tags">
            <thead><tr><th scope="col">Tag</th><th scope="col">Contacts</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {tags.map((t) => (
                <tr key={t.name}>
                  <td>{editing?.name === t.name ? (
                    <form class="input-row" onSubmit={rename}>
                      <label class="visually-hidden" for="rename-tag">New name for {t.name}</label>
                      <input id="rename-tag" class="input input-small" value={editing.to} autoFocus onInput={(e) => setEditing({ ...editing, to: e.currentTarget.value, error: undefined })}
                        onKeyDown={(e) => e.key === 'Escape' && setEditing(null)} {...invalidProps('rename', editing.error)} />
                      <button type="submit" class="btn btn-small btn-primary">Save</button>
                      <button type="button" class="btn btn-small" onClick={() => setEditing(null)}>Cancel</button>
                      {editing.error && <p id="rename-err" class="field-error" role="alert">{editing.error}</p>}
                    </form>
                  ) : <span class="tag">{t.name}</span>}</td>
                  <td>{(t.contactCount ?? 0).toLocaleString()}</td>
                  <td class="cell-actions">
                    <button type="button" class="btn btn-small btn-ghost" onClick={() => setEditing({ name: t.name, to: t.name })} aria-label={`Rename tag ${t.name}`}>Rename</button>
                    <button type="button" class="btn btn-small btn-danger-ghost" onClick={() => setConfirm(t)} aria-label={`Delete tag ${t.name}`}>Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
      </div>
      {confirm && (
        <ConfirmDialog title={`Delete tag “${confirm.name}”?`} confirmLabel="Delete tag" onCancel={() => setConfirm(null)} onConfirm={() => remove(confirm)}>
          <p>It will be removed from {(confirm.contactCount ?? 0).toLocaleString()} contact{confirm.contactCount === 1 ? '' : 's'}. The contacts themselves stay.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
