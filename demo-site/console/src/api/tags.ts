import type { Http } from './http';
import type { Page, Tag } from './schemas';

/** Thin client for /v1/tags. */
export function createTagsApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    list: () => http<Page<Tag>>('GET', '/v1/tags'),
    /** `created` is false when the tag already existed (the server answers 200 with it, 201 for a new one). */
    async create(name: string): Promise<Tag & { created: boolean }> {
      const meta = { status: 0 };
      const tag = await http<Tag>('POST', '/v1/tags', { name }, meta);
      return { ...tag, created: meta.status === 201 };
    },
    rename: (name: string, to: string) => http<Tag>('PATCH', `/v1/tags/${enc(name)}`, { name: to }),
    remove: (name: string) => http<void>('DELETE', `/v1/tags/${enc(name)}`),
  };
}
