// The contract's pure rules and names (CONTRACT §1/§5): one copy for widget, server and console.
// No zod and no I/O here: the widget bundles what it imports from this file, byte for byte.
import { LIMITS } from './limits.js';

export const CONTACT_TYPES = ['guest', 'lead', 'customer'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

export const FIELD_TYPES = ['text', 'number', 'date', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const FIELD_KEY_RE = /^[a-z][a-z0-9_]{0,63}$/;
/**
 * Keys a custom field may not take: the contact's own properties (in either spelling) and names every JS object
 * inherits — a field named like them once passed the form's required check without a value (issue 15).
 */
export const RESERVED_KEYS = new Set([
  'id', 'type', 'name', 'email', 'phone', 'timezone', 'locale', 'customer_id', 'customerid', 'verified', 'custom', 'tags', 'note',
  'created_at', 'createdat', 'last_seen_at', 'lastseenat', 'merged_into', 'mergedinto', 'possible_duplicate_of', 'possibleduplicateof',
  'site_id', 'siteid', 'constructor', 'prototype',
]);

export const EVENT_TYPES = ['lead', 'update', 'identify', 'message'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** An event id: the client-made idempotency key (PROTOCOL.md POST /v1/sync). */
export const EVENT_ID_RE = /^[A-Za-z0-9_-]{8,64}$/;

/** A lead is known by a name and (an email or a phone). */
export function meetsLeadRule(d: { name?: string | null; email?: string | null; phone?: string | null }): boolean {
  return Boolean(d.name) && (Boolean(d.email) || Boolean(d.phone));
}

const EMAIL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Trims; returns the email or null when the syntax is not a deliverable address (no RFC 5322 comment/quote corners). */
export function normalizeEmail(input: string): string | null {
  const email = input.trim();
  if (email.length === 0 || email.length > LIMITS.emailChars) return null;
  const at = email.lastIndexOf('@');
  if (at < 1 || at > 64) return null;
  const local = email.slice(0, at);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  return EMAIL_RE.test(email) ? email : null;
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(s + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A key derived from a field name: accents dropped, lowercased, runs of other characters turned into `_`. */
export function deriveFieldKey(name: string): string {
  let key = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(key)) key = 'f_' + key;
  return key.slice(0, 64).replace(/_+$/, '');
}
