// Agents' presence (issue 11): online while one of their agent streams is open on this instance, `away` when
// they said so; every change is a `presence` event on the agent stream. In memory: a restart starts everyone
// offline until their consoles reconnect (which they do at once).
import type { Hub } from '../live/hub.js';

export type Presence = 'online' | 'away' | 'offline';
export type PresenceService = ReturnType<typeof createPresence>;

export function createPresence(hub: Hub) {
  const streams = new Map<string, number>();
  const away = new Set<string>();
  const of = (agentId: string): Presence => ((streams.get(agentId) ?? 0) === 0 ? 'offline' : away.has(agentId) ? 'away' : 'online');
  const announce = (agentId: string, before: Presence) => {
    const now = of(agentId);
    if (now !== before) hub.publish('agent', { kind: 'presence', data: { agentId, presence: now } });
  };
  return {
    of,
    /** A stream of this agent opened; the answer is called (once) when it closes. */
    opened(agentId: string): () => void {
      const before = of(agentId);
      streams.set(agentId, (streams.get(agentId) ?? 0) + 1);
      announce(agentId, before);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        const before = of(agentId);
        const n = (streams.get(agentId) ?? 1) - 1;
        if (n <= 0) streams.delete(agentId);
        else streams.set(agentId, n);
        announce(agentId, before);
      };
    },
    setAway(agentId: string, isAway: boolean) {
      const before = of(agentId);
      if (isAway) away.add(agentId);
      else away.delete(agentId);
      announce(agentId, before);
    },
  };
}
