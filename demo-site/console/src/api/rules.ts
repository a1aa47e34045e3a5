import type { Http } from './http';
import { dryRunSchema, ruleListSchema, ruleRunListSchema, ruleSchema } from '../../../../widget/src/contract/zod/rules';

/** Thin client for /v1/rules (CONTRACT §8). */
export function createRulesApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    list: () => http('GET', '/v1/rules', undefined, ruleListSchema),
    create: (body: Record<string, unknown>) => http('POST', '/v1/rules', body, ruleSchema),
    update: (id: string, body: Record<string, unknown>) => http('PATCH', `/v1/rules/${enc(id)}`, body, ruleSchema),
    remove: (id: string) => http('DELETE', `/v1/rules/${enc(id)}`),
    runs: (id: string) => http('GET', `/v1/rules/${enc(id)}/runs?limit=20`, undefined, ruleRunListSchema),
    dryRun: (id: string) => http('POST', `/v1/rules/${enc(id)}/dry-run`, undefined, dryRunSchema),
  };
}
