import type { Http } from './http';
import type { Page, Tag } from './schemas';

/** Thin client for /v1/tags. */
export function createTagsApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    list: () => http<Page<Tag>>('GET', '/v1/tags'),
    create: (name: string) => http<Tag>('POST', '/v1/tags', { name }),
    rename: (name: string, to: string) => http<Tag>('PATCH', `/v1/tags/${enc(name)}`, { name: to }),
    remove: (name: string) => http<void>('DELETE', `/v1/tags/${enc(name)}`),
  };
}
