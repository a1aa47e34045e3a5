import type { TeamAgent } from '../api/schemas';

const LABEL = { online: 'Online', away: 'Away', offline: 'Offline' } as const;

/** A teammate's presence as a dot and a word (colour is never the only signal). */
export function Presence({ presence }: { presence: TeamAgent['presence'] }) {
  const p = presence ?? 'offline';
  return <span class={`presence presence-${p}`}>{LABEL[p]}</span>;
}
