import { useEffect, useState } from 'preact/hooks';
import { useApp, useLive } from '../app-context';
import type { TeamAgent } from '../api/schemas';

/** The active teammates (for the assign picker and assignee names), kept current by presence events; an empty
 * list when the caller's role may not list the team (assigning to oneself still works). */
export function useTeam(): TeamAgent[] {
  const { api } = useApp();
  const [agents, setAgents] = useState<TeamAgent[]>([]);
  useEffect(() => {
    api.agents.list().then((r) => setAgents(r.items.filter((a) => !a.pending && !a.disabled)), (err) => console.warn('[chative console] team not listed', err));
  }, [api]);
  useLive((e) => {
    if (e.event === 'presence') setAgents((l) => l.map((a) => (a.id === e.json?.agentId ? { ...a, presence: e.json.presence } : a)));
  });
  return agents;
}
