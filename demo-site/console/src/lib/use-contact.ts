import { useEffect, useState } from 'preact/hooks';
import { useApp, useLive } from '../app-context';
import type { Contact } from '../api/schemas';
import { ApiError } from '../api/http';

/** Loads one contact and keeps it current from the live stream; follows a merge tombstone. */
export function useContact(id: string | undefined) {
  const { api } = useApp();
  const [contact, setContact] = useState<Contact | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!id) return;
    let alive = true;
    setError(null); setContact(null);
    api.contacts.get(id).then((c) => {
      if (!alive) return;
      if ('type' in c) setContact(c);
      else location.hash = `#/contacts/${encodeURIComponent(c.mergedInto)}`;
    }, (e) => alive && setError(e));
    return () => { alive = false; };
  }, [api, id, n]);
  useLive((e) => { if (e.event === 'contact' && e.json?.id === id) setContact(e.json as Contact); });
  // erased while open (here or on another instance): the profile says so, as a reload would (GET answers 410)
  useLive((e) => {
    if (e.event !== 'erased' || e.json?.id !== id) return;
    setContact(null);
    setError(new ApiError(410, 'contact_erased', 'this contact was erased'));
  });
  return { contact, setContact, error, retry: () => setN(n + 1) };
}
