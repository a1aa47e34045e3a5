import type { Http } from './http';
import { pageSchema, tagSchema } from './schemas';

/** Thin client for /v1/tags. */
export function createTagsApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    list: () => http('GET', '/v1/tags', undefined, pageSchema(tagSchema)),
    /** `created` is false when the tag already existed (the server answers 200 with it, 201 for a new one). */
    async create(name: string) {
      const meta = { status: 0 };
      const tag = await http('POST', '/v1/tags', { name }, tagSchema, meta);
      return { ...tag, created: meta.status === 201 };
    },
    rename: (name: string, to: string) => http('PATCH', `/v1/tags/${enc(name)}`, { name: to }, tagSchema),
    remove: (name: string) => http('DELETE', `/v1/tags/${enc(name)}`),
  };
}
