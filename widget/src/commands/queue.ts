// The stub's queue (CONTRACT §3): replay [method, arguments, resolve, reject] in order, settle
// each promise with the real result, then make calls direct. Tag managers may push later too.
import { apiError } from './api-error';
import type { Api } from './api';

export type QueuedCall = [string, ArrayLike<unknown>, ((v: unknown) => void)?, ((e: unknown) => void)?];
export interface ChativeGlobal { q?: QueuedCall[] | { push: (c: QueuedCall) => number }; [k: string]: unknown }

/** The public method names, as the stub defines them (CONTRACT §3). */
export const METHODS = 'identify update open close toggle on off getContact reset'.split(' ');

/** What the stub does, for pages without it: until installApi, every method queues on target.q. */
export function queueEarlyCalls(target: ChativeGlobal): void {
  if (!Array.isArray(target.q)) target.q = [];
  for (const m of METHODS) {
    if (typeof target[m] !== 'function') {
      target[m] = (...args: unknown[]) => new Promise((resolve, reject) => { target.q!.push([m, args, resolve, reject]); });
    }
  }
}

/** Run one call; unknown methods and synchronous throws become rejections. */
export function runCall(api: Api, [method, args, resolve, reject]: QueuedCall): Promise<unknown> {
  const fn = Object.prototype.hasOwnProperty.call(api, method) ? (api as Record<string, (...a: unknown[]) => Promise<unknown>>)[method] : null;
  let result: Promise<unknown>;
  try {
    result = fn ? Promise.resolve(fn(...Array.from(args || []))) : Promise.reject(apiError('unknown_method', 'Chative.' + String(method) + ' does not exist'));
  } catch (err) {
    result = Promise.reject(err);
  }
  if (resolve) result.then(resolve, (err: unknown) => reject?.(err)); // the stub always passes both; a missing reject must not leave a rejection unhandled
  return result;
}

/** Replay the stub's queue in order and install direct methods on the same object. */
export function installApi(target: ChativeGlobal, api: Api): void {
  const queued = Array.isArray(target.q) ? target.q.splice(0) : [];
  for (const call of queued) runCall(api, call).catch(() => undefined); // the caller's own promise carries the error
  for (const name of Object.keys(api) as (keyof Api)[]) {
    target[name] = (...args: unknown[]) => runCall(api, [name, args]);
  }
  target.q = { push: (call: QueuedCall) => { runCall(api, call).catch(() => undefined); return 0; } };
}
