import type { Contact } from '../api/schemas';

const LABELS: Record<string, string> = { name: 'Name', email: 'Email', phone: 'Phone' };
const labelOf = (field: string) => LABELS[field] ?? (field.startsWith('custom.') ? field.slice(7) : field);

/** Values that lost a merge (the lead's own name, email…): shown so an agent can still recognise the person. */
export function OtherDetails({ list }: { list: NonNullable<Contact['otherDetails']> }) {
  return (
    <ul class="other-details" aria-label="Other details from merged contacts">
      {list.map((d) => (
        <li key={`${d.field}:${d.value}`}>
          <span class="cell-muted">{labelOf(d.field)}:</span> {d.value}{' '}
          <span class="cell-muted" title={`from merged contact ${d.from}`}>(merged)</span>
        </li>
      ))}
    </ul>
  );
}
