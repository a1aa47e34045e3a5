import { createHttp } from './http';
import { createContactsApi } from './contacts';
import { createCustomFieldsApi } from './custom-fields';
import { createTagsApi } from './tags';
import { createConversationsApi } from './conversations';
import { createSettingsApi } from './settings';
import { createAgentsApi, createApiTokensApi, createMeApi } from './team';
import { createSearchApi } from './search';
import { createRulesApi } from './rules';
import { createWebhooksApi } from './webhooks';
import { createDataApi } from './data';

/** All resource clients bound to one agent token, or to the session cookie (null). */
export function createApi(token: string | null, onUnauthorized?: () => void) {
  const http = createHttp(token, onUnauthorized);
  return {
    contacts: createContactsApi(http),
    customFields: createCustomFieldsApi(http),
    tags: createTagsApi(http),
    conversations: createConversationsApi(http),
    settings: createSettingsApi(http),
    me: createMeApi(http),
    agents: createAgentsApi(http),
    apiTokens: createApiTokensApi(http),
    search: createSearchApi(http),
    rules: createRulesApi(http),
    webhooks: createWebhooksApi(http),
    data: createDataApi(http, token),
  };
}
export type Api = ReturnType<typeof createApi>;
export { ApiError } from './http';
