// Set-based statements for a wave: the same call made by many events of one write unit side by side (the pipelined
// group commit runs N visitors' message events at once) sent as ONE statement over arrays, not N. Statements, not
// round trips, are what a PostgreSQL event costs in CPU on both sides (docs/BENCH.md, fourth round). pg-store.ts
// gathers a wave's calls; a lone call takes the same statement with arrays of one.
import type { FieldType, FieldValue } from '../domain/custom-fields.js';
import { decodeFieldValue } from '../domain/custom-fields.js';
import { pgTestSwitches, SEQ_LOCK, TOKEN_COLS, toContact, toConversation, toToken, type Query } from './pg-ops.js';
import type { ContactRecord, EventContext, MessageRecord, VisitorMessageEvent } from './store.js';

export type EventContextQuery = { scope: string; eventId: string; tokenId: number; contactId: string; conversationId?: string };

/** The contact row plus its custom values and tags, as pg-ops.ts's getContact folds them. */
const CONTACT_EXTRAS = (alias: string) => `
  (SELECT coalesce(json_agg(json_build_array(v.key, v.value, f.type) ORDER BY v.key), '[]') FROM contact_values v JOIN custom_fields f ON f.key = v.key WHERE v.contact_id = ${alias}.id) AS values_json,
  (SELECT coalesce(json_agg(t.name ORDER BY t.name_lc), '[]') FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = ${alias}.id) AS tags_json`;

function contactOf(r: Record<string, any>): ContactRecord | undefined {
  if (r.id === null || r.id === undefined) return undefined;
  const custom: Record<string, FieldValue> = {};
  for (const [key, value, type] of r.values_json as [string, string, FieldType][]) custom[key] = decodeFieldValue(type, value);
  return toContact(r, custom, r.tags_json as string[]);
}

export function pgWaveOps(q: Query) {
  return {
    /** eventContext for every query at once, answers in their order. */
    async eventContexts(list: EventContextQuery[]): Promise<EventContext[]> {
      const rows = await q(`SELECT
          (SELECT result FROM processed_events p WHERE p.scope = i.scope AND p.event_id = i.event_id) AS seen,
          (SELECT row_to_json(t) FROM (SELECT ${TOKEN_COLS} FROM tokens WHERE id = i.token_id) t) AS token,
          (SELECT row_to_json(c) FROM (SELECT id, site_id, merged_into FROM contacts WHERE id = i.contact_id) c) AS brief,
          coalesce((SELECT row_to_json(cv) FROM conversations cv WHERE cv.id = i.conversation_id),
            (SELECT row_to_json(cv) FROM (SELECT * FROM conversations WHERE i.conversation_id IS NULL AND contact_id = i.contact_id
              ORDER BY last_message_at DESC, id DESC LIMIT 1) cv)) AS conv
        FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[]) WITH ORDINALITY AS i(scope, event_id, token_id, contact_id, conversation_id, ord)
        ORDER BY i.ord`,
      [list.map((x) => x.scope), list.map((x) => x.eventId), list.map((x) => x.tokenId), list.map((x) => x.contactId), list.map((x) => x.conversationId ?? null)]);
      return rows.map((r) => ({
        seen: r.seen ?? undefined,
        token: toToken(r.token ?? undefined),
        brief: r.brief ? { id: r.brief.id, siteId: r.brief.site_id, mergedInto: r.brief.merged_into } : undefined,
        conv: r.conv ? toConversation(r.conv) : undefined,
      }));
    },

    /**
     * visitorMessageEvent for every event at once (distinct conversations, contacts and event ids: pg-store.ts starts a
     * new wave otherwise). Seqs are drawn under the seq lock (pg-ops.ts insertMessage) in the list's order; the
     * stored result is the JSON sync.ts writes, `{"id":…,"status":"applied","seq":…}`.
     */
    async visitorMessageEvents(list: VisitorMessageEvent[]): Promise<{ message: MessageRecord; contact: ContactRecord | undefined }[]> {
      const rows = await q(`WITH ${pgTestSwitches.skipSeqLock ? 'l AS (SELECT 1)' : `l AS (SELECT pg_advisory_xact_lock(${SEQ_LOCK}))`},
          i AS (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
            WITH ORDINALITY AS i(conversation_id, contact_id, text, created_at, scope, event_id, ord)),
          m AS (INSERT INTO messages (conversation_id, author, text, created_at)
            SELECT i.conversation_id, 'visitor', i.text, i.created_at FROM i, l ORDER BY i.ord RETURNING seq, conversation_id),
          c AS (UPDATE conversations cv SET last_message_at = i.created_at, last_message_seq = m.seq
            FROM m JOIN i ON i.conversation_id = m.conversation_id WHERE cv.id = m.conversation_id),
          p AS (INSERT INTO processed_events (scope, event_id, result, created_at)
            SELECT i.scope, i.event_id, '{"id":' || to_json(i.event_id)::text || ',"status":"applied","seq":' || m.seq || '}', ?
            FROM i JOIN m ON m.conversation_id = i.conversation_id),
          u AS (UPDATE contacts ct SET last_seen_at = i.created_at FROM i WHERE ct.id = i.contact_id RETURNING ct.*)
        SELECT m.seq AS m_seq, u.*, ${CONTACT_EXTRAS('u')}
        FROM i JOIN m ON m.conversation_id = i.conversation_id LEFT JOIN u ON u.id = i.contact_id
        ORDER BY i.ord`,
      [list.map((e) => e.conversationId), list.map((e) => e.contactId), list.map((e) => e.text), list.map((e) => e.createdAt),
        list.map((e) => e.scope), list.map((e) => e.eventId), new Date().toISOString()]);
      if (rows.length !== list.length) throw new Error(`store: a wave of ${list.length} messages wrote ${rows.length}`);
      return rows.map((r, k) => ({
        message: { seq: r.m_seq as number, conversationId: list[k].conversationId, author: 'visitor', text: list[k].text, createdAt: list[k].createdAt, agentId: null, agentName: null },
        contact: contactOf(r),
      }));
    },
  };
}
