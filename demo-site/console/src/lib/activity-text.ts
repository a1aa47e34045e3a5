// An activity entry (CONTRACT §6) in words: who, then what changed from what to what.
import type { ActivityItem } from '../api/schemas';

const ACTOR_KIND: Record<ActivityItem['actor']['kind'], string> = {
  visitor: 'Visitor', host: 'Host page', agent: 'Agent', api: 'API token', automation: 'Rule', import: 'Import', system: 'System',
};
const FIELD: Record<string, string> = { name: 'name', email: 'email', phone: 'phone', customerId: 'customer ID', timezone: 'time zone', locale: 'language' };

/** "Ana Costa", "Visitor", "API token “CRM sync”", "Rule “VIP tagger”", "Import", "System". */
export function actorText(a: ActivityItem['actor']): string {
  if (a.kind === 'agent') return a.name ?? 'A teammate';
  if (a.kind === 'visitor' || a.kind === 'host' || a.kind === 'system') return ACTOR_KIND[a.kind];
  return a.name ? `${ACTOR_KIND[a.kind]} “${a.name}”` : ACTOR_KIND[a.kind];
}

export function valueText(v: ActivityItem['from']): string {
  if (v === null || v === undefined || v === '') return '(empty)';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'number') return String(v);
  return `“${v}”`;
}

const typeText = (v: ActivityItem['from']) => (typeof v === 'string' && v ? v[0].toUpperCase() + v.slice(1) : valueText(v));

/** What happened, after the actor's name: "changed email from “a” to “b”". */
export function changeText(i: ActivityItem): string {
  const field = i.field ? (i.change === 'custom' ? `custom field ${i.field}` : FIELD[i.field] ?? i.field) : '';
  switch (i.change) {
    case 'created': return 'created the contact';
    case 'tag_added': return `added the tag ${valueText(i.to ?? i.field)}`;
    case 'tag_removed': return `removed the tag ${valueText(i.from ?? i.field)}`;
    case 'note': return 'edited the note';
    case 'type': return `changed the type from ${typeText(i.from)} to ${typeText(i.to)}`;
    case 'merged': return i.from ? `merged ${valueText(i.from)} into this contact` : 'merged another contact into this one';
    case 'field':
    case 'custom':
      if (i.from === null || i.from === undefined || i.from === '') return `set ${field} to ${valueText(i.to)}`;
      if (i.to === null || i.to === undefined || i.to === '') return `cleared ${field} (was ${valueText(i.from)})`;
      return `changed ${field} from ${valueText(i.from)} to ${valueText(i.to)}`;
    default:
      return `${i.change.replace(/_/g, ' ')}${field ? ` ${field}` : ''}${i.to !== undefined ? ` → ${valueText(i.to)}` : ''}`;
  }
}
