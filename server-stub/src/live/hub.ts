// In-process fan-out for live streams: topics are `contact:<id>`, `token:<id>` and `agent`.
export type LiveEvent =
  | { kind: 'message'; seq: number; data: unknown }
  | { kind: 'contact'; data: unknown }
  | { kind: 'conversation'; data: unknown }
  | { kind: 'merged'; into: string }
  /** Someone is typing: relayed to the other side's stream, never stored. */
  | { kind: 'typing'; data: unknown }
  /** An agent went online / away / offline (issue 11). */
  | { kind: 'presence'; data: unknown }
  | { kind: 'revoked' }
  /** A contact was erased (CONTRACT §9): agent streams say `erased` with its tombstone, so consoles drop it (issue 14). */
  | { kind: 'erased'; data: { id: string; erasedAt: string } }
  /** This instance is stopping: the stream says `resume` and ends, so the client reconnects (to another instance) at once. */
  | { kind: 'resume' };

export type Hub = {
  subscribe(topic: string, fn: (e: LiveEvent) => void): () => void;
  publish(topic: string, e: LiveEvent): void;
  /** True when someone listens on the topic (skip building events nobody reads). */
  has(topic: string): boolean;
  /** Ends every stream (shutdown): each is told to `resume` elsewhere. */
  closeAll(): void;
  /** The topics someone listens on that start with `prefix` (a resync re-checks them). */
  topics(prefix: string): string[];
  size(): number;
};

/** A hub with no I/O: subscribers are plain callbacks. */
export function createHub(): Hub {
  const topics = new Map<string, Set<(e: LiveEvent) => void>>();
  return {
    subscribe(topic, fn) {
      let set = topics.get(topic);
      if (!set) topics.set(topic, (set = new Set()));
      set.add(fn);
      const off = () => {
        set!.delete(fn);
        if (set!.size === 0 && topics.get(topic) === set) topics.delete(topic);
      };
      return off;
    },
    publish(topic, e) {
      const set = topics.get(topic);
      if (!set) return;
      // copy: a subscriber may unsubscribe (e.g. on merge) while we iterate
      for (const fn of [...set]) {
        try {
          fn(e);
        } catch (err) {
          console.error('live subscriber failed', err);
        }
      }
    },
    has: (topic) => (topics.get(topic)?.size ?? 0) > 0,
    closeAll() {
      for (const set of topics.values()) for (const fn of [...set]) fn({ kind: 'resume' });
      topics.clear();
    },
    topics: (prefix) => [...topics.keys()].filter((t) => t.startsWith(prefix)),
    size() {
      let n = 0;
      for (const s of topics.values()) n += s.size;
      return n;
    },
  };
}
