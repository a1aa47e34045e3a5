// What each role may see in the console (CONTRACT §6). Hiding is for clarity only: the server refuses too.
import type { Role } from '../api/schemas';

const RANK: Record<Role, number> = { agent: 1, admin: 2, owner: 3 };

/** True when `role` has at least the rights of `needed`. */
export const atLeast = (role: Role, needed: Role) => RANK[role] >= RANK[needed];

/** The role each signed-in screen needs; screens not named here are for every role. */
export const SCREEN_ROLE: Partial<Record<string, Role>> = { fields: 'admin', tags: 'admin', widget: 'admin', team: 'admin', tokens: 'admin', rules: 'admin', webhooks: 'admin', import: 'admin', retention: 'admin' };

/** The roles a caller may hand out: an admin cannot make owners (CONTRACT §6: "everything but owners"). */
export const grantable = (role: Role): Role[] => (role === 'owner' ? ['owner', 'admin', 'agent'] : role === 'admin' ? ['admin', 'agent'] : []);

export const ROLE_LABEL: Record<Role, string> = { owner: 'Owner', admin: 'Admin', agent: 'Agent' };
