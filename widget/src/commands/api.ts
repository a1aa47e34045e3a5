// The public window.Chative methods as one handler map (CONTRACT §3). Arguments are checked at
// this edge; every method returns a Promise and never throws into the host page.
import { checkDetails, type IdentifyArgs } from '../contract/events';
import type { Core } from '../core/widget-core';
import { apiError } from './api-error';

const EVENTS = ['ready', 'open', 'close', 'message', 'unread', 'contact', 'error'];

export { apiError };

function checkListener(event: unknown, fn: unknown) {
  if (typeof event !== 'string' || !EVENTS.includes(event)) throw apiError('invalid_argument', 'Chative.on/off: event must be one of ' + EVENTS.join(', '));
  if (typeof fn !== 'function') throw apiError('invalid_argument', 'Chative.on/off: the second argument must be a function');
}

export function createApi(core: Core) {
  return {
    async identify(customerId: unknown, options: unknown = {}) {
      if (typeof customerId !== 'string' || !customerId || customerId.length > 255) {
        throw apiError('invalid_argument', 'Chative.identify: customerId must be a non-empty string of at most 255 characters');
      }
      const parsed = checkDetails(options, ['userHash', 'name', 'email', 'phone']);
      if (!parsed.ok) throw apiError('invalid_argument', 'Chative.identify: ' + parsed.error);
      return core.identify({ ...parsed.value, customerId } as IdentifyArgs);
    },
    async update(details: unknown) {
      const parsed = checkDetails(details, ['name', 'email', 'phone']);
      if (!parsed.ok) throw apiError('invalid_argument', 'Chative.update: ' + parsed.error);
      return core.update(parsed.value);
    },
    async open() { core.open(); },
    async close() { core.close(); },
    async toggle() { if (core.getState().open) core.close(); else core.open(); },
    async on(event: unknown, fn: unknown) {
      checkListener(event, fn);
      core.on(event as string, fn as (p: unknown) => void);
    },
    async off(event: unknown, fn: unknown) {
      checkListener(event, fn);
      core.off(event as string, fn as (p: unknown) => void);
    },
    getContact: () => core.getContact(),
    reset: () => core.reset(),
  };
}

export type Api = ReturnType<typeof createApi>;
export type Method = keyof Api;
