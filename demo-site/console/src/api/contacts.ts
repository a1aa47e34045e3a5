import { query, type Http } from './http';
import { activityPageSchema, contactLookupSchema, countsSchema, contactSchema, pageSchema, type ContactPatch } from './schemas';

export type ContactFilters = { type?: string; tags?: string[]; q?: string; fieldKey?: string; fieldValue?: string };

function filterParams(f: ContactFilters) {
  return { type: f.type, tag: f.tags, q: f.q, ...(f.fieldKey && f.fieldValue !== undefined && f.fieldValue !== '' ? { ['field.' + f.fieldKey]: f.fieldValue } : {}) };
}

/** Thin client for /v1/contacts. */
export function createContactsApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    list: (f: ContactFilters, cursor?: string | null, limit = 25) =>
      http('GET', '/v1/contacts' + query({ ...filterParams(f), cursor, limit }), undefined, pageSchema(contactSchema)),
    counts: (f: ContactFilters) => http('GET', '/v1/contacts/counts' + query({ ...filterParams(f), type: undefined }), undefined, countsSchema),
    get: (id: string) => http('GET', `/v1/contacts/${enc(id)}`, undefined, contactLookupSchema),
    patch: (id: string, body: ContactPatch) => http('PATCH', `/v1/contacts/${enc(id)}`, body, contactSchema),
    addTag: (id: string, tag: string) => http('PUT', `/v1/contacts/${enc(id)}/tags/${enc(tag)}`, undefined, contactSchema),
    removeTag: (id: string, tag: string) => http('DELETE', `/v1/contacts/${enc(id)}/tags/${enc(tag)}`, undefined, contactSchema),
    setNote: (id: string, text: string) => http('PUT', `/v1/contacts/${enc(id)}/note`, { text }, contactSchema),
    /** Every change to the contact with who made it, newest first (CONTRACT §6). */
    activity: (id: string, cursor?: string | null, limit = 20) => http('GET', `/v1/contacts/${enc(id)}/activity` + query({ cursor, limit }), undefined, activityPageSchema),
  };
}
export type ContactsApi = ReturnType<typeof createContactsApi>;
