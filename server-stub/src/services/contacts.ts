// Contact changes shared by the widget sync and the agent API: details, identify + merge, tags, note.
import { nextType } from '../domain/contact-type.js';
import { checkFieldValue, FIELD_KEY_RE } from '../domain/custom-fields.js';
import { normalizeEmail } from '../domain/email.js';
import { verifyUserHash } from '../domain/identity.js';
import { mergeContacts } from '../domain/merge.js';
import { normalizePhone } from '../domain/phone.js';
import { normalizeTagName, tagKey } from '../domain/tags.js';
import { LIMITS } from '../../../widget/src/contract/limits.js';
import { HttpError, validationError, type Issue } from '../http/http-error.js';
import type { Hub } from '../live/hub.js';
import type { ContactColumns, ContactRecord, Store } from '../storage/store.js';
import type { SettingsService } from './settings.js';

export type DetailsInput = {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  custom?: Record<string, unknown>;
  timezone?: string | null;
};

/** Collects live events during a transaction; flushed only after it committed. */
export type Outbox = (() => void)[];

export type ContactService = ReturnType<typeof createContactService>;

export function createContactService(deps: { store: Store; hub: Hub; settings: SettingsService; now?: () => string }) {
  const { store, hub, settings } = deps;
  const now = deps.now ?? (() => new Date().toISOString());

  /** A live contact or 404; a tombstone is 409 contact_merged (writes never land on it). */
  function liveContact(id: string): ContactRecord {
    const c = store.getContact(id);
    if (!c) throw new HttpError(404, 'contact_not_found', 'no such contact');
    if (c.mergedInto) throw new HttpError(409, 'contact_merged', `contact was merged into ${c.mergedInto}`);
    return c;
  }

  /** Validates details against the rules and field definitions; all issues at once. */
  function checkDetails(d: DetailsInput): { cols: ContactColumns; values: Record<string, string | null> } {
    const issues: Issue[] = [];
    const cols: ContactColumns = {};
    const values: Record<string, string | null> = {};
    const blank = (s: string | null | undefined) => s === null || (typeof s === 'string' && s.trim() === '');
    if (d.name !== undefined) {
      if (blank(d.name)) cols.name = null;
      else if (/[\u0000-\u001f\u007f]/.test(d.name!)) issues.push({ path: ['name'], message: 'control characters are not allowed' });
      else cols.name = d.name!.trim().replace(/\s+/g, ' ');
    }
    if (d.email !== undefined) {
      if (blank(d.email)) cols.email = null;
      else {
        const email = normalizeEmail(d.email!);
        if (email) cols.email = email;
        else issues.push({ path: ['email'], message: 'not a valid email address' });
      }
    }
    if (d.phone !== undefined) {
      if (blank(d.phone)) cols.phone = null;
      else {
        const phone = normalizePhone(d.phone!);
        if (phone) cols.phone = phone;
        else issues.push({ path: ['phone'], message: 'not a valid phone number: include the country code, e.g. +44 20 7946 0958' });
      }
    }
    if (d.timezone !== undefined) cols.timezone = d.timezone;
    for (const [key, value] of Object.entries(d.custom ?? {})) {
      if (!FIELD_KEY_RE.test(key)) { issues.push({ path: ['custom', key], message: 'not a custom field key' }); continue; }
      const field = store.getField(key);
      if (!field) { issues.push({ path: ['custom', key], message: `unknown custom field "${key}"` }); continue; }
      if (value === null) { values[key] = null; continue; }
      const checked = checkFieldValue(field.type, value);
      if (checked.ok) values[key] = checked.stored;
      else issues.push({ path: ['custom', key], message: `${field.name}: ${checked.message}` });
    }
    if (issues.length) throw validationError(issues);
    return { cols, values };
  }

  /** Writes details; upgrades the type (never down); refreshes the duplicate flag. Never merges. */
  function writeDetails(c: ContactRecord, cols: ContactColumns, values: Record<string, string | null>, out: Outbox): ContactRecord {
    const merged = { ...c, ...cols };
    const touchedReach = cols.email !== undefined || cols.phone !== undefined;
    const next: ContactColumns = { ...cols, type: nextType(c.type, merged), lastSeenAt: now() };
    if (touchedReach) next.possibleDuplicateOf = store.findSameDetails(c.id, merged.email, merged.phone) ?? null;
    store.updateContact(c.id, next);
    store.setValues(c.id, values);
    const updated = store.getContact(c.id)!;
    out.push(() => publishContact(updated));
    return updated;
  }

  function publishContact(c: ContactRecord) {
    hub.publish(`contact:${c.id}`, { kind: 'contact', data: c });
    hub.publish('agent', { kind: 'contact', data: c });
  }

  /** The pre-chat form: required fields of the site's form must be present after the change. */
  function checkForm(c: ContactRecord, cols: ContactColumns, values: Record<string, string | null>) {
    const s = settings.get(c.siteId);
    if (!s.form.enabled) return;
    const after: Record<string, unknown> = { ...c, ...c.custom, ...cols, ...values };
    const issues: Issue[] = [];
    for (const f of s.form.fields) if (f.required && (after[f.key] === null || after[f.key] === undefined)) issues.push({ path: [f.key], message: 'required' });
    if (s.form.emailOrPhone && !after.email && !after.phone) issues.push({ path: ['email'], message: 'an email or a phone is required' });
    if (issues.length) throw validationError(issues);
  }

  /** Moves everything of `visitor` onto `customer` and leaves a tombstone (CONTRACT §1), inside the caller's transaction. */
  function mergeInto(visitor: ContactRecord, customer: ContactRecord, out: Outbox): ContactRecord {
    const m = mergeContacts(customer, visitor);
    store.updateContact(customer.id, { name: m.name, email: m.email, phone: m.phone, timezone: m.timezone, locale: m.locale, note: m.note, lastSeenAt: now() });
    const fill: Record<string, string> = {};
    for (const [key, value] of Object.entries(visitor.custom)) {
      const field = store.getField(key);
      if (field && !(key in customer.custom)) {
        const checked = checkFieldValue(field.type, value);
        if (checked.ok) fill[key] = checked.stored;
      }
    }
    store.setValues(customer.id, fill);
    for (const name of visitor.tags) {
      const tag = store.getTagByKey(tagKey(name));
      if (tag) store.attachTag(customer.id, tag.id);
    }
    // the tombstone keeps no values or tags: counts and filters need no join to skip it
    store.setValues(visitor.id, Object.fromEntries(Object.keys(visitor.custom).map((k) => [k, null])));
    for (const name of visitor.tags) {
      const tag = store.getTagByKey(tagKey(name));
      if (tag) store.detachTag(visitor.id, tag.id);
    }
    store.moveConversations(visitor.id, customer.id);
    store.repointTokens(visitor.id, customer.id);
    store.updateContact(visitor.id, { mergedInto: customer.id });
    const survivor = store.getContact(customer.id)!;
    out.push(() => {
      hub.publish(`contact:${visitor.id}`, { kind: 'merged', into: customer.id });
      hub.publish('agent', { kind: 'contact', data: store.getContact(visitor.id)! });
      publishContact(survivor);
    });
    return survivor;
  }

  return {
    liveContact,
    checkDetails,
    publishContact,

    /** `lead` and `update` events: details only, never a merge (account takeover, see USER-VOICES). */
    applyDetails(c: ContactRecord, d: DetailsInput, out: Outbox, opts: { form?: boolean } = {}): ContactRecord {
      const { cols, values } = checkDetails(d);
      if (opts.form) checkForm(c, cols, values);
      return writeDetails(c, cols, values, out);
    },

    /** `identify`: verify (CONTRACT §4), then become or merge into the customer. */
    identify(c: ContactRecord, ev: DetailsInput & { customerId: string; userHash?: unknown }, out: Outbox): ContactRecord {
      const { cols, values } = checkDetails(ev);
      const s = settings.get(c.siteId);
      const verified = s.verification && verifyUserHash(s.secret, ev.customerId, ev.userHash);
      if (s.verification && !verified) throw new HttpError(401, 'identity_verification_failed', 'userHash does not match customerId');
      if (c.customerId && c.customerId !== ev.customerId)
        throw new HttpError(409, 'customer_mismatch', 'this browser is identified as another customer: call Chative.reset() at logout');
      let target = c;
      if (verified) {
        const holder = store.findVerifiedCustomer(c.siteId, ev.customerId);
        if (holder && holder.id !== c.id) target = mergeInto(c, holder, out);
        else store.updateContact(c.id, { customerId: ev.customerId, verified: true, type: 'customer' });
      } else {
        // verification switched off: the contact is marked unverified and never touches an existing customer
        store.updateContact(c.id, { customerId: ev.customerId, verified: false, type: 'customer' });
      }
      return writeDetails(store.getContact(target.id)!, cols, values, out);
    },

    /** PATCH /v1/contacts/:id from an agent or an integration (trusted: customerId is verified). */
    patch(id: string, p: DetailsInput & { customerId?: string | null }, out: Outbox): ContactRecord {
      const c = liveContact(id);
      const { cols, values } = checkDetails(p);
      if (p.customerId !== undefined) {
        const customerId = p.customerId === null || p.customerId.trim() === '' ? null : p.customerId;
        if (customerId) {
          const holder = store.findVerifiedCustomer(c.siteId, customerId);
          if (holder && holder.id !== c.id) throw new HttpError(409, 'customer_id_taken', `customerId is held by contact ${holder.id}`, [{ path: ['customerId'], message: 'already used by another contact' }]);
          Object.assign(cols, { customerId, verified: true });
        } else Object.assign(cols, { customerId: null, verified: false });
      }
      return writeDetails(c, cols, values, out);
    },

    /** Attaches a tag, creating it on the fly (first spelling kept). */
    addTag(id: string, rawName: string, out: Outbox): ContactRecord {
      const c = liveContact(id);
      const name = normalizeTagName(rawName);
      if (!name) throw new HttpError(400, 'validation_failed', `tag: 1-${LIMITS.tagChars} characters`, [{ path: ['tag'], message: `1-${LIMITS.tagChars} characters` }]);
      const tag = store.getTagByKey(tagKey(name)) ?? store.createTag(name, now());
      if (c.tags.length >= LIMITS.tagsPerContact && !c.tags.some((t) => tagKey(t) === tagKey(name)))
        throw new HttpError(400, 'validation_failed', `tag: at most ${LIMITS.tagsPerContact} tags per contact`, [{ path: ['tag'], message: 'too many tags' }]);
      store.attachTag(c.id, tag.id);
      const updated = store.getContact(c.id)!;
      out.push(() => publishContact(updated));
      return updated;
    },

    removeTag(id: string, rawName: string, out: Outbox): ContactRecord {
      const c = liveContact(id);
      const name = normalizeTagName(rawName);
      const tag = name ? store.getTagByKey(tagKey(name)) : undefined;
      if (tag) store.detachTag(c.id, tag.id);
      const updated = store.getContact(c.id)!;
      out.push(() => publishContact(updated));
      return updated;
    },

    setNote(id: string, text: string, out: Outbox): ContactRecord {
      const c = liveContact(id);
      store.updateContact(c.id, { note: text.trim() === '' ? null : text });
      const updated = store.getContact(c.id)!;
      out.push(() => publishContact(updated));
      return updated;
    },
  };
}

/** Runs fn in a transaction and only then publishes its live events. */
export function commit<T>(store: Store, fn: (out: Outbox) => T): T {
  const out: Outbox = [];
  const result = store.transaction(() => fn(out));
  for (const publish of out) publish();
  return result;
}
