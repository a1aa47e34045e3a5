// A rule read as a sentence: "When a tag is added: vip, and type is lead → set plan to gold, add tag auto".
// Pure, so the editor's preview, the list and the tests use one wording.
import type { ConditionGroup, ConditionNode } from '../../../../widget/src/contract/zod/conditions';
import type { RuleAction, Trigger } from '../../../../widget/src/contract/zod/rules';

const OP_WORDS: Record<string, string> = {
  is: 'is', is_not: 'is not', contains: 'contains', starts_with: 'starts with', is_set: 'is set', is_not_set: 'is not set',
  eq: 'is', neq: 'is not', lt: 'is less than', lte: 'is at most', gt: 'is more than', gte: 'is at least', between: 'is between',
  on: 'is on', before: 'is before', after: 'is after', in_last_days: 'is in the last', in_next_days: 'is in the next',
  more_than_days_ago: 'is more than', is_true: 'is yes', is_false: 'is no', in: 'is one of',
  has_any: 'has any of', has_all: 'has all of', has_none: 'has none of',
};
const FIELD_WORDS: Record<string, string> = { customerId: 'customer id', createdAt: 'first seen', lastSeenAt: 'last seen', tags: 'tags' };

export function triggerText(t: Trigger): string {
  switch (t.on) {
    case 'contact.created': return 'When a contact is created';
    case 'contact.updated': return `When a contact is updated${t.fields?.length ? `: ${t.fields.map(fieldText).join(', ')}` : ''}`;
    case 'contact.type_changed': return `When the type changes${t.to ? ` to ${t.to}` : ''}`;
    case 'contact.tag_added': return `When a tag is added${t.tag ? `: ${t.tag}` : ''}`;
    case 'contact.tag_removed': return `When a tag is removed${t.tag ? `: ${t.tag}` : ''}`;
    case 'contact.identified': return 'When a contact is identified';
    case 'message.received': return 'When a visitor sends a message';
    case 'conversation.resolved': return 'When a conversation is resolved';
    case 'contact.inactive': return `When a contact has been inactive for ${t.days} day${t.days === 1 ? '' : 's'}`;
  }
}

const fieldText = (f: string) => (f.startsWith('custom.') ? f.slice(7) : FIELD_WORDS[f] ?? f);
const valueText = (v: unknown, op: string): string => {
  if (v === undefined) return '';
  const days = op === 'in_last_days' || op === 'in_next_days' || op === 'more_than_days_ago';
  const s = Array.isArray(v) ? (op === 'between' ? v.join(' and ') : v.join(', ')) : String(v);
  return ` ${s}${days ? (op === 'more_than_days_ago' ? ' days ago' : ' days') : ''}`;
};

export function conditionText(n: ConditionNode, nested = false): string {
  if ('all' in n || 'any' in n) {
    const g = n as ConditionGroup;
    const [list, word] = 'all' in g ? [g.all, ' and '] : [g.any, ' or '];
    const s = list.map((x) => conditionText(x, true)).join(word);
    return nested && list.length > 1 ? `(${s})` : s;
  }
  return `${fieldText(n.field)} ${OP_WORDS[n.op] ?? n.op}${valueText(n.value, n.op)}`;
}

export function actionText(a: RuleAction, webhookName: (id: string) => string = (id) => id): string {
  if ('addTag' in a) return `add tag ${a.addTag}`;
  if ('removeTag' in a) return `remove tag ${a.removeTag}`;
  if ('setField' in a) return `set ${a.setField.key} to ${String(a.setField.value)}`;
  if ('clearField' in a) return `clear ${a.clearField}`;
  if ('setType' in a) return `make it a ${a.setType}`;
  if ('assign' in a) return `assign to ${a.assign}`;
  return `call webhook ${webhookName(a.webhook)}`;
}

/** The whole rule as one line. */
export function ruleSentence(r: { trigger: Trigger; where?: ConditionGroup | null; actions: RuleAction[] }, webhookName?: (id: string) => string): string {
  const where = r.where && ('all' in r.where ? r.where.all.length : r.where.any.length) ? `, and ${conditionText(r.where)}` : '';
  return `${triggerText(r.trigger)}${where} → ${r.actions.map((a) => actionText(a, webhookName)).join(', ') || '…'}`;
}
