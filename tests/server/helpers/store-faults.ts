// Fault injection around the real store: one handle method fails (a full disk, a lost file), everything else is real.
import type { Store, Tx } from '../../../server-stub/src/storage/store.js';

/** Answers the call instead of the store; `real()` runs the store's own method with the same arguments. */
export type Fault = (real: () => Promise<unknown>, args: unknown[]) => Promise<unknown>;

/**
 * From now on, `method` on every unit's handle goes through `fault`. Answers the function that puts the
 * store back. The store object is patched in place, so an app already built on it sees the fault.
 */
export function injectFault(store: Store, method: keyof Tx, fault: Fault): () => void {
  const { read, write } = store;
  const faulty = <H extends object>(h: H): H =>
    new Proxy(h, {
      get(target, key) {
        const v = Reflect.get(target, key);
        if (key !== method) return v;
        return (...args: unknown[]) => fault(() => (v as (...a: unknown[]) => Promise<unknown>).apply(target, args), args);
      },
    });
  store.read = (fn) => read((r) => fn(faulty(r)));
  store.write = (fn, opts) => write((tx) => fn(faulty(tx)), opts);
  return () => Object.assign(store, { read, write });
}
