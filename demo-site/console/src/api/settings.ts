import type { Http } from './http';
import type { Settings } from './schemas';

/** Thin client for /v1/settings. */
export function createSettingsApi(http: Http) {
  return {
    get: () => http<Settings>('GET', '/v1/settings'),
    patch: (body: Partial<Settings>) => http<Settings>('PATCH', '/v1/settings', body),
    rotateSecret: () => http<{ secret: string }>('POST', '/v1/settings/secret/rotate'),
  };
}
