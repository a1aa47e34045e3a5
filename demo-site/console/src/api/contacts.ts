import { query, type Http } from './http';
import type { Contact, Counts, CustomValue, Page } from './schemas';

export type ContactFilters = { type?: string; tags?: string[]; q?: string; fieldKey?: string; fieldValue?: string };

function filterParams(f: ContactFilters) {
  return { type: f.type, tag: f.tags, q: f.q, ...(f.fieldKey && f.fieldValue !== undefined && f.fieldValue !== '' ? { ['field.' + f.fieldKey]: f.fieldValue } : {}) };
}

/** Thin client for /v1/contacts. */
export function createContactsApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    list: (f: ContactFilters, cursor?: string | null, limit = 25) =>
      http<Page<Contact>>('GET', '/v1/contacts' + query({ ...filterParams(f), cursor, limit })),
    counts: (f: ContactFilters) => http<Counts>('GET', '/v1/contacts/counts' + query({ ...filterParams(f), type: undefined })),
    get: (id: string) => http<Contact>('GET', `/v1/contacts/${enc(id)}`),
    patch: (id: string, body: { name?: string | null; email?: string | null; phone?: string | null; custom?: Record<string, CustomValue> }) =>
      http<Contact>('PATCH', `/v1/contacts/${enc(id)}`, body),
    addTag: (id: string, tag: string) => http<Contact>('PUT', `/v1/contacts/${enc(id)}/tags/${enc(tag)}`),
    removeTag: (id: string, tag: string) => http<Contact>('DELETE', `/v1/contacts/${enc(id)}/tags/${enc(tag)}`),
    setNote: (id: string, text: string) => http<Contact>('PUT', `/v1/contacts/${enc(id)}/note`, { text }),
  };
}
export type ContactsApi = ReturnType<typeof createContactsApi>;
