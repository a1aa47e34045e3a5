// The guest identity kept in storage: visitor token, contact id and type, last seen message seq.
import type { Kv } from '../storage/kv';

import type { PublicContact } from './widget-core';
import { hex, type IdentifyArgs } from '../contract/events';

export interface Identity {
  token: string; contactId: string; type: string; lastSeq: number;
  /** The public contact as last seen: what a repeated identify answers without a request. */
  contact?: PublicContact;
  /** SHA-256 of the last verified identify's arguments (customer id, hash, details): never the hash itself. */
  identified?: string;
}

/** A digest of an identify's arguments; null without WebCrypto (plain-http pages) or without a hash. */
export async function identifyKey(args: IdentifyArgs): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle || !args.userHash) return null;
  return hex(await subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(args))));
}

export const identityKey = (siteId: string) => siteId + ':identity';

export const loadIdentity = (kv: Kv, siteId: string) => kv.get<Identity>(identityKey(siteId));

export const saveIdentity = (kv: Kv, siteId: string, patch: Partial<Identity>) =>
  kv.update<Identity>(identityKey(siteId), (old) => ({ ...(old as Identity), ...patch, lastSeq: Math.max(old?.lastSeq || 0, patch.lastSeq || 0) }));
