// Host-page event listeners (Chative.on/off); a throwing listener never breaks the widget.

export type Listener = (payload: unknown) => void;

export function createEmitter() {
  const listeners = new Map<string, Set<Listener>>();
  return {
    on(event: string, fn: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(fn);
    },
    off(event: string, fn: Listener) { listeners.get(event)?.delete(fn); },
    emit(event: string, payload?: unknown) {
      listeners.get(event)?.forEach((fn) => {
        try { fn(payload); } catch (err) { setTimeout(() => { throw err; }); } // report on the host's console, not ours
      });
    },
  };
}
