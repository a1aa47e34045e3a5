// Migration 7: stored phones re-read by CONTRACT §1's rule (the old one kept trunk zeros: +4402079460958).
import type Database from 'better-sqlite3';
import { normalizePhone } from '../domain/phone.js';
import { searchTerms } from '../domain/search-terms.js';

export type PhonePass = { checked: number; changed: number; unreadable: string[] };

/** Rewrites every stored phone to its E.164 form; one that no rule reads stays as it was and is listed by contact id. */
export function renormalizePhones(db: Database.Database): PhonePass {
  const pass: PhonePass = { checked: 0, changed: 0, unreadable: [] };
  const update = db.prepare('UPDATE contacts SET phone = ? WHERE id = ?');
  const dropTerms = db.prepare('DELETE FROM contact_terms WHERE contact_id = ?');
  const addTerm = db.prepare('INSERT OR IGNORE INTO contact_terms (term, contact_id) VALUES (?, ?)');
  // paged by rowid: better-sqlite3 cannot write while a read cursor is open
  const page = db.prepare('SELECT rowid AS r, id, name, email, phone, customer_id, timezone, merged_into, other_details FROM contacts WHERE rowid > ? AND phone IS NOT NULL ORDER BY rowid LIMIT 5000');
  for (let after = 0; ; ) {
    const rows = page.all(after) as { r: number; id: string; name: string | null; email: string | null; phone: string; customer_id: string | null; timezone: string | null; merged_into: string | null; other_details: string | null }[];
    if (!rows.length) break;
    for (const c of rows) {
      pass.checked++;
      const p = normalizePhone(c.phone, { timezone: c.timezone });
      if (!p.ok) { pass.unreadable.push(c.id); continue; }
      if (p.e164 === c.phone) continue;
      update.run(p.e164, c.id);
      pass.changed++;
      if (c.merged_into) continue; // tombstones have no search terms
      dropTerms.run(c.id);
      const otherDetails = c.other_details ? JSON.parse(c.other_details) : [];
      for (const t of searchTerms({ name: c.name, email: c.email, phone: p.e164, customerId: c.customer_id, otherDetails })) addTerm.run(t, c.id);
    }
    after = rows[rows.length - 1].r;
  }
  return pass;
}

/** The migration's one log line: counts and contact ids, never a phone number (they are personal data). */
export function phonePassLine(pass: PhonePass, maxIds = 1000): string {
  const ids = pass.unreadable.slice(0, maxIds).join(', ') + (pass.unreadable.length > maxIds ? `, … ${pass.unreadable.length - maxIds} more` : '');
  return `migration 7 (phones to E.164): ${pass.checked} checked, ${pass.changed} rewritten, ${pass.unreadable.length} unreadable kept as they were` +
    (pass.unreadable.length ? ` (contact ids: ${ids})` : '');
}
