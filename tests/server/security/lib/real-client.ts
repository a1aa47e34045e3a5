// A client over a real server's URL (fetch on loopback), with the same helpers as the in-process one.
import { createClient } from '../../helpers/client.js';

export function realClient(url: string, agentToken: string) {
  return createClient((p, i) => fetch(url + p, i), agentToken);
}

/** Resolves after ms. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
