import type { Contact } from '../api/schemas';
import { BasicInfo } from './BasicInfo';
import { CustomInfo } from './CustomInfo';
import { TagEditor } from './TagEditor';
import { NoteEditor } from './NoteEditor';
import { DuplicateWarning } from './DuplicateWarning';

/** The four kinds of contact data (basic, custom, tags, note), after a duplicate warning when there is one. */
export function ContactDetails({ contact, onChange }: { contact: Contact; onChange: (c: Contact) => void }) {
  return (
    <div class="details">
      <DuplicateWarning contact={contact} />
      <BasicInfo contact={contact} onChange={onChange} />
      <CustomInfo contact={contact} onChange={onChange} />
      <TagEditor contact={contact} onChange={onChange} />
      <NoteEditor contact={contact} />
    </div>
  );
}
