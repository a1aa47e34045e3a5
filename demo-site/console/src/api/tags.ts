import type { Http } from './http';
import { pageSchema, tagSchema } from './schemas';

/** Thin client for /v1/tags. */
export function createTagsApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    list: () => http('GET', '/v1/tags', undefined, pageSchema(tagSchema)),
    create: (name: string) => http('POST', '/v1/tags', { name }, tagSchema),
    rename: (name: string, to: string) => http('PATCH', `/v1/tags/${enc(name)}`, { name: to }, tagSchema),
    remove: (name: string) => http('DELETE', `/v1/tags/${enc(name)}`),
  };
}
