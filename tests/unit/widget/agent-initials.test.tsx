// @vitest-environment happy-dom
// Issue 11: the visitor sees who answers — the agent's name and initials on agent messages.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/preact';
import { Chat, initials } from '../../../widget/src/app/screens/Chat';
import { strings as en } from '../../../widget/src/app/i18n/en';
import type { Message } from '../../../widget/src/contract/schemas';

afterEach(cleanup);
const msg = (over: Partial<Message>): Message => ({ id: 'm' + Math.random(), seq: 1, conversationId: 'c1', author: 'agent', text: 'Hi', createdAt: new Date().toISOString(), ...over });
const noop = () => {};

describe('agent initials', () => {
  it('takes the first letters of the first and last words, whole code points, upper-cased', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('  grace   brewster murray hopper ')).toBe('GH');
    expect(initials('Linh')).toBe('L');
    expect(initials('😀 Smile')).toBe('😀S');
    expect(initials('émile zola')).toBe('ÉZ');
    expect(initials('   ')).toBe('');
  });

  it('agent messages show the agent name with its initials, the team name when there is none, and visitor messages neither', () => {
    const { container } = render(
      <Chat title="Chat" lang="en" strings={en} team="Hoa Shop" pending={[]} onSend={noop} onRetry={noop}
        messages={[msg({ seq: 1, agentName: 'Ada Lovelace' }), msg({ seq: 2, agentName: null }), msg({ seq: 3, author: 'visitor' })]} />,
    );
    const who = [...container.querySelectorAll('.msg')].map((m) => m.querySelector('.who'));
    expect(who[0]?.getAttribute('data-i')).toBe('AL');
    expect(who[0]?.textContent).toBe('Ada Lovelace: ');
    expect(who[1]?.getAttribute('data-i')).toBe('HS');
    expect(who[1]?.textContent).toBe('Hoa Shop: ');
    expect(who[2]).toBeNull();
  });
});
