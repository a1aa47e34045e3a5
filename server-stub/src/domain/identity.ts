// Identity verification (CONTRACT §4): HMAC-SHA256(customerId) as 64 lowercase hex, constant-time compare.
import { createHmac, timingSafeEqual } from 'node:crypto';
export { customerIdProblem } from './text.js';

/** The userHash a host backend computes for a customer id. */
export function userHashFor(secret: string, customerId: string): string {
  return createHmac('sha256', secret).update(customerId, 'utf8').digest('hex');
}

/** True only for exactly the expected hash; wrong length, case or type is false, never a throw. */
export function verifyUserHash(secret: string, customerId: string, userHash: unknown): boolean {
  if (typeof userHash !== 'string' || !/^[0-9a-f]{64}$/.test(userHash)) return false;
  const expected = Buffer.from(userHashFor(secret, customerId), 'hex');
  const given = Buffer.from(userHash, 'hex');
  // timingSafeEqual throws on a length mismatch: guard first (the regex already fixes 32 bytes).
  return given.length === expected.length && timingSafeEqual(given, expected);
}

