import type { Http } from './http';
import { rotatedSecretSchema, settingsSchema, type SettingsPatch } from './schemas';

/** Thin client for /v1/settings. */
export function createSettingsApi(http: Http) {
  return {
    get: () => http('GET', '/v1/settings', undefined, settingsSchema),
    patch: (body: SettingsPatch) => http('PATCH', '/v1/settings', body, settingsSchema),
    rotateSecret: () => http('POST', '/v1/settings/secret/rotate', undefined, rotatedSecretSchema),
  };
}
