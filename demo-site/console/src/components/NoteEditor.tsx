import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { ApiError } from '../api';
import type { Contact } from '../api/schemas';
import { createAutosave, type SaveStatus } from '../lib/autosave';

const LABEL: Record<SaveStatus, string> = { idle: '', pending: 'Unsaved changes', saving: 'Saving…', saved: 'Saved', error: '' };

/** One free-text note, autosaved ~600 ms after typing stops; local text stays authoritative. */
export function NoteEditor({ contact }: { contact: Contact }) {
  const { api } = useApp();
  const [text, setText] = useState(contact.note ?? '');
  const [status, setStatus] = useState<SaveStatus>('idle');
  const [error, setError] = useState<string | null>(null);
  const idRef = useRef(contact.id);
  const saver = useMemo(() => createAutosave((t) => api.contacts.setNote(contact.id, t), {
    onStatus: (s, err) => { setStatus(s); setError(s === 'error' ? (err instanceof ApiError ? err.message : 'Could not save the note.') + ' Keep typing or click outside the box to retry.' : null); },
  }), [api, contact.id]);

  useEffect(() => { saver.reset(contact.note ?? ''); return () => { void saver.flush(); saver.dispose(); }; }, [saver]);
  // A live update from elsewhere only replaces the note when this box has nothing unsaved.
  useEffect(() => {
    if (idRef.current !== contact.id || !saver.isDirty()) { idRef.current = contact.id; setText(contact.note ?? ''); saver.reset(contact.note ?? ''); }
  }, [contact.id, contact.note]);

  return (
    <section class="card panel" aria-labelledby="note-title">
      <div class="panel-head">
        <h2 id="note-title"><label for="note">Note</label></h2>
        <span class={`save-status save-${status}`} role="status" data-testid="note-status">{LABEL[status]}</span>
      </div>
      <textarea id="note" class="input textarea" rows={5} value={text} placeholder="Anything your team should know about this contact. Saved automatically."
        onInput={(e) => { const v = e.currentTarget.value; setText(v); saver.change(v); }} onBlur={() => void saver.flush()} />
      {error && <p class="field-error" role="alert">{error}</p>}
    </section>
  );
}
