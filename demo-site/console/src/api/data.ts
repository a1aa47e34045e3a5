// CONTRACT §9 from the console: CSV export/import, erase, export one contact, duplicates, merge, retention.
// Downloads and the CSV upload are not JSON, so they use fetch with the token directly; answers are still parsed.
import { importJobSchema, importStartedSchema, importUndoSchema, retentionStatusSchema } from '../../../../widget/src/contract/zod/data';
import { ApiError, query, type Http } from './http';
import type { ContactFilters } from './contacts';
import { contactSchema, pageSchema } from './schemas';

/** Saves a blob under `name` through a temporary object URL (the token never goes into a link). */
function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `token` null: the session cookie carries the sign-in (same-origin fetches send it). */
export function createDataApi(http: Http, token: string | null) {
  const enc = encodeURIComponent;
  const raw = async (method: string, path: string, init: RequestInit = {}) => {
    let res: Response;
    try {
      res = await fetch(path, { ...init, method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });
    } catch {
      throw new ApiError(0, 'network_error', 'Cannot reach the Chative server. Check that it is running, then try again.');
    }
    if (!res.ok) {
      const e = (await res.json().catch(() => null))?.error ?? {};
      throw new ApiError(res.status, e.code ?? 'http_' + res.status, e.message ?? `The server answered ${res.status}.`, e.issues ?? []);
    }
    return res;
  };
  return {
    /** Downloads the list as CSV with the filters on screen. */
    async exportCsv(f: ContactFilters) {
      const params = { type: f.type, tag: f.tags, q: f.q, ...(f.fieldKey && f.fieldValue ? { ['field.' + f.fieldKey]: f.fieldValue } : {}) };
      const res = await raw('GET', '/v1/contacts/export.csv' + query(params));
      save(await res.blob(), `contacts-${new Date().toISOString().slice(0, 10)}.csv`);
    },
    async exportContact(id: string) {
      const res = await raw('GET', `/v1/contacts/${enc(id)}/export`);
      save(await res.blob(), `contact-${id}.json`);
    },
    erase: (id: string) => http('DELETE', `/v1/contacts/${enc(id)}`),
    duplicates: (id: string) => http('GET', `/v1/contacts/${enc(id)}/duplicates`, undefined, pageSchema(contactSchema)),
    merge: (id: string, from: string) => http('POST', `/v1/contacts/${enc(id)}/merge`, { from }, contactSchema),
    async startImport(csv: Blob, match: string, dryRun: boolean) {
      const res = await raw('POST', '/v1/contacts/import' + query({ match, dryRun: dryRun ? '1' : undefined }), { body: csv, headers: { 'content-type': 'text/csv' } });
      return importStartedSchema.parse(await res.json());
    },
    importJob: (id: string) => http('GET', `/v1/imports/${enc(id)}`, undefined, importJobSchema),
    undoImport: (id: string) => http('POST', `/v1/imports/${enc(id)}/undo`, undefined, importUndoSchema),
    retention: () => http('GET', '/v1/retention', undefined, retentionStatusSchema),
    save,
  };
}
export type DataApi = ReturnType<typeof createDataApi>;
