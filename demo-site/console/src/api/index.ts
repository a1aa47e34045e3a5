import { createHttp } from './http';
import { createContactsApi } from './contacts';
import { createCustomFieldsApi } from './custom-fields';
import { createTagsApi } from './tags';
import { createConversationsApi } from './conversations';
import { createSettingsApi } from './settings';
import { createRulesApi } from './rules';
import { createWebhooksApi } from './webhooks';

/** All resource clients bound to one agent token. */
export function createApi(token: string, onUnauthorized?: () => void) {
  const http = createHttp(token, onUnauthorized);
  return {
    contacts: createContactsApi(http),
    customFields: createCustomFieldsApi(http),
    tags: createTagsApi(http),
    conversations: createConversationsApi(http),
    settings: createSettingsApi(http),
    rules: createRulesApi(http),
    webhooks: createWebhooksApi(http),
  };
}
export type Api = ReturnType<typeof createApi>;
export { ApiError } from './http';
