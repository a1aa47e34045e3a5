// Issue 11 notifications: which visitor messages alert the agent, and the stored choices.
import { describe, expect, it } from 'vitest';
import { alertTitle } from '../../../demo-site/console/src/lib/notify';

const contact = { id: 'ct_1', name: 'Nora New', type: 'lead' as const, email: null, possibleDuplicateOf: null };
const at = '2026-11-29T10:00:00.000Z';

describe('alertTitle', () => {
  it('a new conversation alerts everyone, whoever it is assigned to', () => {
    expect(alertTitle({ createdAt: at, assigneeId: null, contact }, { createdAt: at }, 'ag_me')).toBe('New conversation: Nora New');
    expect(alertTitle({ createdAt: at, assigneeId: null, contact: null }, { createdAt: at }, undefined)).toBe('New conversation: A visitor');
  });
  it('a later message alerts only the agent it is assigned to', () => {
    const later = { createdAt: '2026-11-29T10:05:00.000Z' };
    expect(alertTitle({ createdAt: at, assigneeId: 'ag_me', contact }, later, 'ag_me')).toBe('Nora New wrote');
    expect(alertTitle({ createdAt: at, assigneeId: 'ag_other', contact }, later, 'ag_me')).toBeNull();
    expect(alertTitle({ createdAt: at, assigneeId: null, contact }, later, 'ag_me')).toBeNull();
    expect(alertTitle({ createdAt: at, assigneeId: null, contact }, later, undefined)).toBeNull(); // an API token is nobody's assignee
  });
});
