// Standard Webhooks (https://www.standardwebhooks.com): the secret, the signature, and the retry timetable.
import { createHmac, randomBytes } from 'node:crypto';

/** `whsec_` + base64 of 32 random bytes. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** `v1,<base64 HMAC-SHA256(secret bytes, "<id>.<timestamp>.<body>")>`. */
export function signWebhook(secret: string, id: string, timestampSec: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSec}.${body}`).digest('base64')}`;
}

/**
 * Delay before attempt n+1 after n failed attempts (ms): 5 s, 30 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — about
 * 27.6 h in all (the contract asks ≥ 24 h). null: no attempt left, the delivery has failed.
 */
const DELAYS = [5_000, 30_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
export function retryDelay(failedAttempts: number, scale = 1): number | null {
  const d = DELAYS[failedAttempts - 1];
  return d === undefined ? null : Math.max(1, Math.round(d * scale));
}

/** An endpoint failing this long (no success since its first failure) is disabled with a notice. */
export const DISABLE_AFTER_MS = 24 * 3600_000;
