// Pragmatic email syntax: what real mail systems accept, without the RFC 5322 comment/quote corners.
import { LIMITS } from './limits.js';

const EMAIL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Trims; returns the email or null when the syntax is not a deliverable address. */
export function normalizeEmail(input: string): string | null {
  const email = input.trim();
  if (email.length === 0 || email.length > LIMITS.emailChars) return null;
  const at = email.lastIndexOf('@');
  if (at < 1 || at > 64) return null;
  const local = email.slice(0, at);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  return EMAIL_RE.test(email) ? email : null;
}
