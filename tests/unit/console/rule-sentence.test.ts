// The rule editor reads like a sentence (issue 12's example, word for word).
import { expect, it } from 'vitest';
import { ruleSentence } from '../../../demo-site/console/src/lib/rule-sentence';

it('reads the issue example as its sentence', () => {
  expect(ruleSentence({
    trigger: { on: 'contact.tag_added', tag: 'vip' },
    where: { all: [{ field: 'type', op: 'is', value: 'lead' }] },
    actions: [{ setField: { key: 'plan', value: 'gold' } }, { addTag: 'auto' }],
  })).toBe('When a tag is added: vip, and type is lead → set plan to gold, add tag auto');
});

it('words every trigger, nested groups, day operators and webhook names', () => {
  expect(ruleSentence({
    trigger: { on: 'contact.inactive', days: 30 },
    where: { any: [{ field: 'custom.plan', op: 'is_set' }, { all: [{ field: 'lastSeenAt', op: 'more_than_days_ago', value: 10 }, { field: 'tags', op: 'has_any', value: ['a', 'b'] }] }] },
    actions: [{ webhook: 'wh_1' }, { setType: 'lead' }, { clearField: 'plan' }],
  }, () => 'https://crm.example/hook')).toBe(
    'When a contact has been inactive for 30 days, and plan is set or (last seen is more than 10 days ago and tags has any of a, b) → call webhook https://crm.example/hook, make it a lead, clear plan',
  );
  expect(ruleSentence({ trigger: { on: 'message.received' }, where: null, actions: [{ removeTag: 'x' }] })).toBe('When a visitor sends a message → remove tag x');
});
