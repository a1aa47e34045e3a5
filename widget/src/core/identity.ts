// The guest identity kept in storage: visitor token, contact id and type, last seen message seq.
import type { Kv } from '../storage/kv';

export interface Identity { token: string; contactId: string; type: string; lastSeq: number }

export const identityKey = (siteId: string) => siteId + ':identity';

export const loadIdentity = (kv: Kv, siteId: string) => kv.get<Identity>(identityKey(siteId));

export const saveIdentity = (kv: Kv, siteId: string, patch: Partial<Identity>) =>
  kv.update<Identity>(identityKey(siteId), (old) => ({ ...(old as Identity), ...patch, lastSeq: Math.max(old?.lastSeq || 0, patch.lastSeq || 0) }));
