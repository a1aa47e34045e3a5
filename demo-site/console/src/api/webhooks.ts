import type { Http } from './http';
import { deliveryListSchema, deliverySchema, webhookListSchema, webhookSchema } from '../../../../widget/src/contract/zod/webhooks';

/** Thin client for /v1/webhooks (CONTRACT §8). */
export function createWebhooksApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    list: () => http('GET', '/v1/webhooks', undefined, webhookListSchema),
    create: (body: { url: string; events: string[] }) => http('POST', '/v1/webhooks', body, webhookSchema),
    update: (id: string, body: Record<string, unknown>) => http('PATCH', `/v1/webhooks/${enc(id)}`, body, webhookSchema),
    remove: (id: string) => http('DELETE', `/v1/webhooks/${enc(id)}`),
    rotate: (id: string) => http('POST', `/v1/webhooks/${enc(id)}/rotate-secret`, undefined, webhookSchema),
    deliveries: (id: string) => http('GET', `/v1/webhooks/${enc(id)}/deliveries?limit=20`, undefined, deliveryListSchema),
    redeliver: (id: string, deliveryId: string) => http('POST', `/v1/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}/redeliver`, undefined, deliverySchema),
  };
}
