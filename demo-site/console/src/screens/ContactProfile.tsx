import { useContact } from '../lib/use-contact';
import { ContactDetails } from '../components/ContactDetails';
import { ContactConversation } from '../components/ContactConversation';
import { ActivityTimeline } from '../components/ActivityTimeline';
import { ContactDataActions, DuplicateSuggestions } from '../components/ContactData';
import { TypeBadge } from '../components/TypeBadge';
import { Avatar } from '../components/Avatar';
import { ErrorState, Loading } from '../components/States';
import { displayName, relativeTime } from '../lib/format';

/** A contact's profile with their conversation beside it. */
export function ContactProfile({ id }: { id: string }) {
  const { contact, setContact, error, retry } = useContact(id);
  if (error) return <section class="page"><a class="back" href="#/contacts">← Contacts</a><ErrorState error={error} onRetry={retry} /></section>;
  if (!contact) return <section class="page"><Loading label="Loading contact…" /></section>;
  return (
    <section class="page" aria-labelledby="profile-title">
      <a class="back" href="#/contacts">← Contacts</a>
      <header class="profile-head">
        <Avatar name={contact.name} size={48} />
        <div>
          <h1 id="profile-title">{displayName(contact)}</h1>
          <p class="muted"><TypeBadge type={contact.type} /> <span>Last seen {relativeTime(contact.lastSeenAt).toLowerCase()}</span></p>
        </div>
      </header>
      <div class="profile-grid">
        <div class="details">
          <ContactDetails contact={contact} onChange={setContact} />
          <DuplicateSuggestions contact={contact} />
          <ContactDataActions contact={contact} />
          <ActivityTimeline contactId={contact.id} />
        </div>
        <ContactConversation contact={contact} />
      </div>
    </section>
  );
}
