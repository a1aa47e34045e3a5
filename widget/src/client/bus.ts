// Tab-to-tab relay over BroadcastChannel('chative:<siteId>') — one stream and one outbox flusher
// per browser (PROTOCOL.md "Ten tabs"); a no-op where BroadcastChannel is missing.
import type { Contact, Message, SyncResult } from '../contract/schemas';

export type BusMessage =
  | { kind: 'message'; message: Message }
  | { kind: 'contact'; contact: Contact }
  | { kind: 'results'; results: SyncResult[]; contact?: Contact }
  | { kind: 'reset' }
  /** An agent is typing: the streaming tab passes the signal on, so every tab of the visitor shows it. */
  | { kind: 'typing' };

export interface Bus {
  post(msg: BusMessage): void;
  listen(fn: (msg: BusMessage) => void): void;
  /** Start hearing other tabs (the channel is made on first use: a BroadcastChannel costs a few
   *  ms of main thread at mount, before the page is idle). */
  open?(): void;
}

export function createBus(siteId: string): Bus {
  const listeners: ((msg: BusMessage) => void)[] = [];
  let channel: BroadcastChannel | null = null;
  const open = () => {
    if (channel || typeof BroadcastChannel !== 'function') return channel;
    channel = new BroadcastChannel('chative:' + siteId);
    channel.onmessage = (e: MessageEvent) => listeners.forEach((fn) => fn(e.data as BusMessage));
    return channel;
  };
  return {
    post: (msg) => open()?.postMessage(msg),
    listen: (fn) => { listeners.push(fn); },
    open,
  };
}

/** Run `fn` holding the named Web Lock; without navigator.locks, run it at once (every tab does). */
export function withLock<T>(name: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return fn();
  return locks.request(name, signal ? { signal } : {}, fn) as Promise<T>;
}
