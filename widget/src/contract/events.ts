// Outbox events (PROTOCOL.md POST /v1/sync) and the host-facing argument checks that build them.
import { LIMITS } from './limits';

export interface Details { name?: string; email?: string; phone?: string; custom?: Record<string, string | number | boolean | null> }
export type UpdateArgs = Details;
export interface IdentifyArgs extends Details { customerId: string; userHash?: string }

export type OutboxEvent =
  | ({ id: string; type: 'lead' | 'update' } & UpdateArgs)
  | ({ id: string; type: 'identify' } & IdentifyArgs)
  | { id: string; type: 'message'; text: string; conversationId?: string };

// the contract's limits, so a detail the server would refuse is refused here with the same number
const MAX: Record<string, number> = { name: LIMITS.nameChars, email: LIMITS.emailChars, phone: LIMITS.phoneChars, customerId: LIMITS.customerIdChars, userHash: 64 };

/** Check Chative.update/identify details; returns a plain-words problem or the clean object. */
export function checkDetails(input: unknown, allowed: string[]): { ok: true; value: Details & Record<string, unknown> } | { ok: false; error: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, error: 'expected an object' };
  const value: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(input)) {
    if (v === undefined) continue;
    if (key === 'custom') {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'custom must be an object of values' };
      for (const [k, x] of Object.entries(v)) {
        if (x !== null && !['string', 'number', 'boolean'].includes(typeof x)) return { ok: false, error: `custom.${k} must be a string, number, boolean or null` };
      }
    } else if (!allowed.includes(key)) {
      return { ok: false, error: `unknown option "${key}" (allowed: ${allowed.join(', ')}, custom)` };
    } else if (typeof v !== 'string' || v.length > (MAX[key] || 255)) {
      return { ok: false, error: `${key} must be a string of at most ${MAX[key] || 255} characters` };
    }
    value[key] = v;
  }
  return { ok: true, value };
}

/** Bytes as lowercase hex: event ids here, identify digests in core/identity.ts (one helper, not two encodings). */
export const hex = (bytes: ArrayBuffer | Uint8Array): string => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** 16 random bytes as 32 hex digits: a unique idempotency key (PROTOCOL.md: 8–64 of [A-Za-z0-9_-]). */
export const newEventId = (): string => hex(crypto.getRandomValues(new Uint8Array(16)));
