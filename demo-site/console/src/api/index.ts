import { createHttp } from './http';
import { createContactsApi } from './contacts';
import { createCustomFieldsApi } from './custom-fields';
import { createTagsApi } from './tags';
import { createConversationsApi } from './conversations';
import { createSettingsApi } from './settings';
import { createDataApi } from './data';

/** All resource clients bound to one agent token. */
export function createApi(token: string, onUnauthorized?: () => void) {
  const http = createHttp(token, onUnauthorized);
  return {
    contacts: createContactsApi(http),
    customFields: createCustomFieldsApi(http),
    tags: createTagsApi(http),
    conversations: createConversationsApi(http),
    settings: createSettingsApi(http),
    data: createDataApi(http, token),
  };
}
export type Api = ReturnType<typeof createApi>;
export { ApiError } from './http';
