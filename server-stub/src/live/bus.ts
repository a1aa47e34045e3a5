// The live bus: everything that must reach streams — on this instance and, with PostgreSQL, on every other — is
// published here. It is a Hub to the services (subscribe/publish/has), plus cache invalidation across instances.
//
// Two engines:
// - local (SQLite, one process): publish = the in-process hub; invalidate() has nobody else to tell.
// - pg (live/pg-bus.ts): messages reach the hub only through the tailer (read by seq from the database, the writer's
//   own included), everything else is published here at once and rung to the other instances as a doorbell of ids.
//
// For other modules (team, rules, …): publish(topic, event) after the commit (an Outbox effect) for stream events;
// invalidate(name, id) after the commit when a per-process cache of `name` is stale on other instances (a disabled
// agent, a revoked API token, settings); onInvalidate(name, fn) registers that cache's reload. A handler is also
// called with id undefined after the bus lost its connection (anything may have changed meanwhile).
import { createHub, type Hub, type LiveEvent } from './hub.js';

export type InvalidateHandler = (id?: string) => void | Promise<void>;

export type Bus = Hub & {
  /** Tells the other instances that `name`'s entry `id` (or all of it) changed; this instance's own cache is the writer's job. */
  invalidate(name: string, id?: string): void;
  /** Runs fn when another instance invalidated `name` (and with no id after a resync). */
  onInvalidate(name: string, fn: InvalidateHandler): void;
  /** False while the cross-instance connection is down (the health check reports it). */
  healthy(): boolean;
  /** Stops listening (shutdown). */
  close(): Promise<void>;
};

/** Handlers by cache name, called one after another; a failing one is logged, never stops the others. */
export function createInvalidations() {
  const handlers = new Map<string, InvalidateHandler[]>();
  return {
    on(name: string, fn: InvalidateHandler) {
      handlers.set(name, [...(handlers.get(name) ?? []), fn]);
    },
    async run(name: string, id?: string) {
      for (const fn of handlers.get(name) ?? []) {
        try {
          await fn(id);
        } catch (err) {
          console.error(`live bus: reloading "${name}" failed`, (err as Error).message);
        }
      }
    },
    /** Every cache (after a lost connection). */
    async all() {
      for (const name of handlers.keys()) await this.run(name);
    },
  };
}

/** One process: the hub is the whole story. */
export function createLocalBus(hub: Hub = createHub()): Bus {
  return {
    subscribe: (topic, fn) => hub.subscribe(topic, fn),
    publish: (topic, e: LiveEvent) => hub.publish(topic, e),
    has: (topic) => hub.has(topic),
    topics: (prefix) => hub.topics(prefix),
    closeAll: () => hub.closeAll(),
    size: () => hub.size(),
    invalidate: () => {},
    onInvalidate: () => {},
    healthy: () => true,
    close: async () => {},
  };
}

/** True when `x` is already a Bus (app.ts accepts a bare Hub from older tests). */
export function isBus(x: Hub | Bus): x is Bus {
  return typeof (x as Bus).invalidate === 'function';
}
