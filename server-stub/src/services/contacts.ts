// Contact changes shared by the widget sync and the agent API: details, identify + merge, tags, note.
import { nextType } from '../domain/contact-type.js';
import { checkFieldValue, FIELD_KEY_RE, type FieldType } from '../domain/custom-fields.js';
import { normalizeEmail } from '../domain/email.js';
import { verifyUserHash } from '../domain/identity.js';
import { planMerge, type MergePlan } from '../domain/merge.js';
import { normalizePhone } from '../domain/phone.js';
import { normalizeTagName, tagKey, tagNameProblem } from '../domain/tags.js';
import { LIMITS } from '../../../widget/src/contract/limits.js';
import { isInvisible } from '../domain/text.js';
import { HttpError, validationError, type Issue } from '../http/http-error.js';
import type { Hub } from '../live/hub.js';
import type { ContactColumns, ContactRecord, Store, Tx } from '../storage/store.js';
import type { SettingsService } from './settings.js';
import { missingContact } from './erase.js';
import { diffContact, Outbox, type Actor, type ChangeBus, type ContactChange } from './changes.js';

export { Outbox };

export type DetailsInput = {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  custom?: Record<string, unknown>;
  timezone?: string | null;
};

export type ContactService = ReturnType<typeof createContactService>;

export function createContactService(deps: { hub: Hub; settings: SettingsService; changes: ChangeBus; now?: () => string }) {
  const { hub, settings, changes } = deps;
  const now = deps.now ?? (() => new Date().toISOString());

  /** A live contact or 404; a tombstone is 409 contact_merged (writes never land on it). */
  async function liveContact(tx: Tx, id: string): Promise<ContactRecord> {
    const c = await tx.getContact(id);
    if (!c) return missingContact(tx, id);
    if (c.mergedInto) throw new HttpError(409, 'contact_merged', `contact was merged into ${c.mergedInto}`);
    return c;
  }

  /** Validates details against the rules and field definitions for contact `c`; all issues at once. */
  async function checkDetails(tx: Tx, c: ContactRecord, d: DetailsInput): Promise<{ cols: ContactColumns; values: Record<string, string | null> }> {
    const issues: Issue[] = [];
    const cols: ContactColumns = {};
    const values: Record<string, string | null> = {};
    const blank = (s: string | null | undefined) => s === null || (typeof s === 'string' && isInvisible(s));
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
        // a number without a country code is read where the visitor is (CONTRACT §1)
        const phone = normalizePhone(d.phone!, { timezone: d.timezone !== undefined ? d.timezone : c.timezone, defaultCountry: settings.get(c.siteId).defaultCountry });
        if (phone.ok) cols.phone = phone.e164;
        else issues.push({ path: ['phone'], message: phone.message });
      }
    }
    if (d.timezone !== undefined) cols.timezone = d.timezone;
    for (const [key, value] of Object.entries(d.custom ?? {})) {
      if (!FIELD_KEY_RE.test(key)) { issues.push({ path: ['custom', key], message: 'not a custom field key' }); continue; }
      const field = await tx.getField(key);
      if (!field) { issues.push({ path: ['custom', key], message: `unknown custom field "${key}"` }); continue; }
      if (value === null) { values[key] = null; continue; }
      const checked = checkFieldValue(field.type, value);
      if (checked.ok) values[key] = checked.stored;
      else issues.push({ path: ['custom', key], message: `${field.name}: ${checked.message}` });
    }
    if (issues.length) throw validationError(issues);
    return { cols, values };
  }

  /**
   * Writes details; upgrades the type (never down); refreshes the duplicate flag. Never merges. Reports every
   * change since `before` (the contact as the unit found it) with `extra` first.
   */
  async function writeDetails(tx: Tx, c: ContactRecord, cols: ContactColumns, values: Record<string, string | null>, out: Outbox, before: ContactRecord = c, extra: ContactChange[] = []): Promise<ContactRecord> {
    const merged = { ...c, ...cols };
    const touchedReach = cols.email !== undefined || cols.phone !== undefined;
    const next: ContactColumns = { ...cols, type: nextType(c.type, merged), lastSeenAt: now() };
    if (touchedReach) next.possibleDuplicateOf = (await tx.findSameDetails(c.id, merged.email, merged.phone)) ?? null;
    await tx.updateContact(c.id, next);
    await tx.setValues(c.id, values);
    const updated = (await tx.getContact(c.id))!;
    out.push(() => publishContact(updated));
    await changes.emit(tx, out, [...extra, ...diffContact(before, updated)]);
    return updated;
  }

  /** Reports what changed on one contact, then publishes it (after the commit). */
  async function changed(tx: Tx, before: ContactRecord, out: Outbox): Promise<ContactRecord> {
    const updated = (await tx.getContact(before.id))!;
    out.push(() => publishContact(updated));
    await changes.emit(tx, out, diffContact(before, updated));
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
    // built-in keys read the columns, every other key only the custom values: a custom key named like a
    // record property (`verified`, `custom`, `locale`, `constructor`) can never satisfy "required" by accident
    const detail = (k: 'name' | 'email' | 'phone') => (cols[k] !== undefined ? cols[k] : c[k]);
    const custom = (k: string) => (Object.hasOwn(values, k) ? values[k] : Object.hasOwn(c.custom, k) ? c.custom[k] : null);
    const has = (k: string) => {
      const v = k === 'name' || k === 'email' || k === 'phone' ? detail(k) : custom(k);
      return v !== null && v !== undefined;
    };
    const issues: Issue[] = [];
    for (const f of s.form.fields) if (f.required && !has(f.key)) issues.push({ path: [f.key], message: 'required' });
    if (s.form.emailOrPhone && !has('email') && !has('phone')) issues.push({ path: ['email'], message: 'an email or a phone is required' });
    if (issues.length) throw validationError(issues);
  }

  /**
   * A verified identify landed customer data on `contactId` (CONTRACT §1, SECURITY.md "Who may read a customer"):
   * every token there that did not itself prove `customerId` is revoked, so that browser starts over as a guest.
   * Its revocation is published before the contact changes, so an open stream ends before it could carry them.
   */
  async function revokeUnproven(tx: Tx, contactId: string, customerId: string, out: Outbox) {
    for (const id of await tx.revokeUnprovenTokens(contactId, customerId)) out.push(() => hub.publish(`token:${id}`, { kind: 'revoked' }));
  }

  /** Moves everything of `visitor` onto `customer` and leaves a tombstone (CONTRACT §1), inside the caller's transaction. */
  async function mergeInto(tx: Tx, visitor: ContactRecord, customer: ContactRecord, customerId: string, out: Outbox): Promise<ContactRecord> {
    const fieldTypes: Record<string, FieldType> = {};
    for (const key of Object.keys(visitor.custom)) {
      const field = await tx.getField(key);
      if (field) fieldTypes[key] = field.type;
    }
    await applyMerge(tx, planMerge(customer, visitor, fieldTypes));
    // a proof landed here: the holder is verified now, and only browsers that proved this id keep reading it
    await tx.updateContact(customer.id, { customerId, verified: true, type: 'customer' });
    await revokeUnproven(tx, customer.id, customerId, out);
    const survivor = (await tx.getContact(customer.id))!;
    // read here, not after the commit: the outbox only publishes what the unit already holds (store.ts)
    const tombstone = (await tx.getContact(visitor.id))!;
    out.push(() => {
      hub.publish(`contact:${visitor.id}`, { kind: 'merged', into: customer.id });
      hub.publish('agent', { kind: 'contact', data: tombstone });
      publishContact(survivor);
    });
    await changes.emit(tx, out, [
      { contactId: visitor.id, change: 'merged', to: customer.id },
      { contactId: customer.id, change: 'merged', from: visitor.id },
    ]);
    return survivor;
  }

  /** Writes a merge plan as it is: every rule is in domain/merge.ts, so the tested plan is the one that runs. */
  async function applyMerge(tx: Tx, plan: MergePlan) {
    const { survivor, tombstone } = plan;
    await tx.updateContact(tombstone.mergedInto, { ...survivor, lastSeenAt: now() });
    await tx.setValues(tombstone.mergedInto, plan.customFill);
    for (const name of plan.attachTags) {
      const tag = await tx.getTagByKey(tagKey(name));
      if (tag) await tx.attachTag(tombstone.mergedInto, tag.id);
    }
    await tx.setValues(tombstone.id, Object.fromEntries(tombstone.clearValues.map((k) => [k, null])));
    for (const name of tombstone.detachTags) {
      const tag = await tx.getTagByKey(tagKey(name));
      if (tag) await tx.detachTag(tombstone.id, tag.id);
    }
    await tx.moveConversations(tombstone.id, tombstone.mergedInto);
    await tx.repointTokens(tombstone.id, tombstone.mergedInto);
    await tx.updateContact(tombstone.id, { mergedInto: tombstone.mergedInto });
  }

  return {
    liveContact,
    publishContact,
    /** The details' rules as patch applies them (the import's create path checks a new contact with it, services/imports.ts). */
    checkDetails,
    /** The identify merge's writer, shared by the manual merge (services/manual-merge.ts): one way to apply a plan. */
    applyMerge,

    /** `lead` and `update` events: details only, never a merge (account takeover, see USER-VOICES). */
    async applyDetails(tx: Tx, c: ContactRecord, d: DetailsInput, out: Outbox, opts: { form?: boolean } = {}): Promise<ContactRecord> {
      const { cols, values } = await checkDetails(tx, c, d);
      if (opts.form) checkForm(c, cols, values);
      return writeDetails(tx, c, cols, values, out);
    },

    /**
     * `identify`: verify (CONTRACT §4), then become or merge into the customer. Only the identifying token gains
     * anything: it records the id it proved, and every other token on the landing contact that did not is revoked.
     */
    async identify(tx: Tx, c: ContactRecord, ev: DetailsInput & { customerId: string; userHash?: unknown }, tokenId: number, out: Outbox): Promise<ContactRecord> {
      const { cols, values } = await checkDetails(tx, c, ev);
      const s = settings.get(c.siteId);
      const verified = s.verification && verifyUserHash(s.secret, ev.customerId, ev.userHash);
      if (s.verification && !verified) throw new HttpError(401, 'identity_verification_failed', 'userHash does not match customerId');
      if (c.customerId && c.customerId !== ev.customerId)
        throw new HttpError(409, 'customer_mismatch', 'this browser is identified as another customer: call Chative.reset() at logout');
      let target = c;
      let before = c;
      await tx.recordIdentify(tokenId, ev.customerId, verified);
      if (verified) {
        // the holder may have been linked by an agent or an unverified identify: the proof makes it this customer's
        const holder = await tx.findCustomer(c.siteId, ev.customerId);
        if (holder && holder.id !== c.id) {
          before = holder;
          target = await mergeInto(tx, c, holder, ev.customerId, out);
        }
        else {
          await tx.updateContact(c.id, { customerId: ev.customerId, verified: true, type: 'customer' });
          await revokeUnproven(tx, c.id, ev.customerId, out);
        }
      } else if (c.customerId !== ev.customerId) {
        // verification switched off: marked unverified, never touches an existing customer
        await tx.updateContact(c.id, { customerId: ev.customerId, verified: false, type: 'customer' });
      }
      // (verification off and already this customer id: nothing to change — a verified contact is never demoted)
      const landed = (await tx.getContact(target.id))!;
      const identified: ContactChange[] = landed.customerId !== before.customerId || landed.verified !== before.verified ? [{ contactId: landed.id, change: 'identified', to: ev.customerId }] : [];
      return writeDetails(tx, landed, cols, values, out, before, identified);
    },

    /**
     * PATCH /v1/contacts/:id from an agent or an integration. A customer id set here is a *link*, not a proof:
     * the contact is unverified and no browser gains anything; a later verified identify lands on it (and
     * revokes the tokens already there). Customer ids stay unique per site.
     */
    async patch(tx: Tx, id: string, p: DetailsInput & { customerId?: string | null }, out: Outbox): Promise<ContactRecord> {
      const c = await liveContact(tx, id);
      const { cols, values } = await checkDetails(tx, c, p);
      if (p.customerId !== undefined) {
        const customerId = p.customerId === null || p.customerId === '' ? null : p.customerId;
        if (customerId === c.customerId) {
          // unchanged: keep whatever proof the contact has
        } else if (customerId) {
          const holder = await tx.findCustomer(c.siteId, customerId);
          if (holder && holder.id !== c.id) throw new HttpError(409, 'customer_id_taken', `customerId is held by contact ${holder.id}`, [{ path: ['customerId'], message: 'already used by another contact' }]);
          Object.assign(cols, { customerId, verified: false });
        } else Object.assign(cols, { customerId: null, verified: false });
      }
      return writeDetails(tx, c, cols, values, out);
    },

    /** Attaches a tag, creating it on the fly (first spelling kept). */
    async addTag(tx: Tx, id: string, rawName: string, out: Outbox): Promise<ContactRecord> {
      const c = await liveContact(tx, id);
      const name = normalizeTagName(rawName);
      if (!name) {
        const problem = tagNameProblem(rawName) ?? `1-${LIMITS.tagChars} characters`;
        throw new HttpError(400, 'validation_failed', `tag: ${problem}`, [{ path: ['tag'], message: problem }]);
      }
      const tag = (await tx.getTagByKey(tagKey(name))) ?? (await tx.createTag(name, now()));
      if (c.tags.length >= LIMITS.tagsPerContact && !c.tags.some((t) => tagKey(t) === tagKey(name)))
        throw new HttpError(400, 'validation_failed', `tag: at most ${LIMITS.tagsPerContact} tags per contact`, [{ path: ['tag'], message: 'too many tags' }]);
      await tx.attachTag(c.id, tag.id);
      return changed(tx, c, out);
    },

    async removeTag(tx: Tx, id: string, rawName: string, out: Outbox): Promise<ContactRecord> {
      const c = await liveContact(tx, id);
      const name = normalizeTagName(rawName);
      const tag = name ? await tx.getTagByKey(tagKey(name)) : undefined;
      if (tag) await tx.detachTag(c.id, tag.id);
      return changed(tx, c, out);
    },

    async setNote(tx: Tx, id: string, text: string, out: Outbox): Promise<ContactRecord> {
      const c = await liveContact(tx, id);
      await tx.updateContact(c.id, { note: text.trim() === '' ? null : text });
      return changed(tx, c, out);
    },
  };
}

/** Runs fn in one write unit as `actor` and only then publishes its live events. */
export async function commit<T>(store: Store, fn: (tx: Tx, out: Outbox) => Promise<T>, actor: Actor): Promise<T> {
  let out = new Outbox(actor);
  // a fresh outbox per attempt: an engine may run fn again after a serialization failure
  const result = await store.write((tx) => fn(tx, (out = new Outbox(actor))));
  out.flush();
  return result;
}
