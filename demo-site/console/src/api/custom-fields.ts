import type { Http } from './http';
import { customFieldSchema, pageSchema, type FieldType } from './schemas';

/** Thin client for /v1/custom-fields. */
export function createCustomFieldsApi(http: Http) {
  return {
    list: () => http('GET', '/v1/custom-fields', undefined, pageSchema(customFieldSchema)),
    create: (name: string, type: FieldType) => http('POST', '/v1/custom-fields', { name, type }, customFieldSchema),
    patch: (key: string, body: { name?: string; inForm?: boolean; required?: boolean }) =>
      http('PATCH', `/v1/custom-fields/${encodeURIComponent(key)}`, body, customFieldSchema),
    remove: (key: string) => http('DELETE', `/v1/custom-fields/${encodeURIComponent(key)}`),
  };
}
