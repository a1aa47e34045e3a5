// Which triggers a batch of changes fires (domain/rule-triggers.ts) and which addresses webhooks may reach.
import { expect, it } from 'vitest';
import { firedBy, triggerMatches } from '../../../server-stub/src/domain/rule-triggers.js';
import { isPrivateAddress } from '../../../server-stub/src/domain/webhook-target.js';

it('groups fired triggers per contact, one contact.updated with every changed field', () => {
  const fired = firedBy([
    { contactId: 'a', change: 'field', field: 'email', from: null, to: 'x@y.z' },
    { contactId: 'a', change: 'type', from: 'guest', to: 'lead' },
    { contactId: 'a', change: 'custom', field: 'plan', from: null, to: 'gold' },
    { contactId: 'b', change: 'tag_added', field: 'VIP', to: 'VIP' },
    { contactId: 'b', change: 'message', conversationId: 'cv', seq: 1, author: 'agent' },
    { contactId: 'c', change: 'message', conversationId: 'cv', seq: 2, author: 'visitor' },
    { contactId: 'c', change: 'conversation', conversationId: 'cv', field: 'status', from: 'open', to: 'resolved' },
  ]);
  expect(fired.get('a')).toEqual([{ on: 'contact.type_changed', to: 'lead' }, { on: 'contact.updated', fields: ['email', 'type', 'custom.plan'] }]);
  expect(fired.get('b')).toEqual([{ on: 'contact.tag_added', tag: 'VIP' }, { on: 'contact.updated', fields: ['tags'] }]); // an agent's message is not message.received
  expect(fired.get('c')).toEqual([{ on: 'message.received' }, { on: 'conversation.resolved' }]);
});

it('matches trigger filters: fields, type, tag (case-insensitive)', () => {
  expect(triggerMatches({ on: 'contact.updated', fields: ['custom.plan'] }, { on: 'contact.updated', fields: ['email', 'custom.plan'] })).toBe(true);
  expect(triggerMatches({ on: 'contact.updated', fields: ['name'] }, { on: 'contact.updated', fields: ['email'] })).toBe(false);
  expect(triggerMatches({ on: 'contact.type_changed', to: 'customer' }, { on: 'contact.type_changed', to: 'lead' })).toBe(false);
  expect(triggerMatches({ on: 'contact.tag_added', tag: 'vip' }, { on: 'contact.tag_added', tag: 'VIP' })).toBe(true);
  expect(triggerMatches({ on: 'contact.tag_added' }, { on: 'contact.tag_removed', tag: 'VIP' })).toBe(false);
});

it('refuses loopback, private, link-local, CGNAT, ULA and mapped forms; allows public addresses', () => {
  for (const a of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', 'not-an-ip'])
    expect(isPrivateAddress(a), a).toBe(true);
  for (const a of ['8.8.8.8', '93.184.215.14', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
});
