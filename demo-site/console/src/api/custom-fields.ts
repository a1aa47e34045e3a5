import type { Http } from './http';
import type { CustomField, FieldType, Page } from './schemas';

/** Thin client for /v1/custom-fields. */
export function createCustomFieldsApi(http: Http) {
  return {
    list: () => http<Page<CustomField>>('GET', '/v1/custom-fields'),
    create: (name: string, type: FieldType) => http<CustomField>('POST', '/v1/custom-fields', { name, type }),
    patch: (key: string, body: { name?: string; inForm?: boolean; required?: boolean }) =>
      http<CustomField>('PATCH', `/v1/custom-fields/${encodeURIComponent(key)}`, body),
    remove: (key: string) => http<void>('DELETE', `/v1/custom-fields/${encodeURIComponent(key)}`),
  };
}
