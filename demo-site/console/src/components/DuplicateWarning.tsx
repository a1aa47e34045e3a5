import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import type { Contact } from '../api/schemas';
import { displayName } from '../lib/format';

/**
 * The server's `possibleDuplicateOf`: another contact has this email or phone. Said out loud, with a
 * link, because a lead carrying a customer's email (an impostor, or the customer on a new device) must
 * not look like any other lead.
 */
export function DuplicateWarning({ contact }: { contact: Contact }) {
  const { api } = useApp();
  const other = contact.possibleDuplicateOf ?? null;
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    setName(null);
    if (!other) return;
    let alive = true;
    // the name only makes the link friendlier; the link works without it, so a failed read just keeps the generic words
    api.contacts.get(other).then((c) => {
      if (alive && !c.mergedInto) setName(`${displayName(c as Contact)} (${(c as Contact).type})`); // a tombstone has no name
    }, () => undefined);
    return () => { alive = false; };
  }, [api, other]);
  if (!other) return null;
  return (
    <section class="card panel dup-warning" aria-labelledby="dup-title" data-testid="duplicate-warning">
      <h2 id="dup-title">Possible duplicate</h2>
      <p>
        This contact has the same email or phone as <a href={`#/contacts/${encodeURIComponent(other)}`}>{name ?? 'another contact'}</a>.
        {' '}The same person on another device, or someone using another person’s details: check before you trust who this is.
      </p>
    </section>
  );
}
