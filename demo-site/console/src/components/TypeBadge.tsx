import type { ContactType } from '../api/schemas';

const LABELS: Record<ContactType, string> = { guest: 'Guest', lead: 'Lead', customer: 'Customer' };

/** The Guest / Lead / Customer pill. */
export function TypeBadge({ type }: { type: ContactType }) {
  return <span class={`badge badge-${type}`} data-testid="type-badge">{LABELS[type] ?? type}</span>;
}
