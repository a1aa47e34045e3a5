import { z } from 'zod';
import type { Http } from './http';
import {
  jobSchema, searchResponseSchema, segmentListSchema, segmentSchema, type BulkAction, type ConditionGroup,
} from '../../../../widget/src/contract/zod/conditions';

export type { BulkAction, ConditionGroup, ConditionLeaf, ConditionNode, Job } from '../../../../widget/src/contract/zod/conditions';
export type Sort = { field: string; dir: 'asc' | 'desc' };
const segmentJobAnswer = z.object({ jobId: z.string() });
export type SearchBody = { where?: ConditionGroup; segmentId?: string; sort?: Sort; cursor?: string; limit?: number };

/** Thin client for CONTRACT §7: search, segments, bulk actions and their jobs. */
export function createSearchApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    search: (body: SearchBody) => http('POST', '/v1/contacts/search', body, searchResponseSchema),
    segments: () => http('GET', '/v1/segments', undefined, segmentListSchema),
    createSegment: (name: string, where: ConditionGroup) => http('POST', '/v1/segments', { name, where }, segmentSchema),
    patchSegment: (id: string, body: { name?: string; where?: ConditionGroup }) => http('PATCH', `/v1/segments/${enc(id)}`, body, segmentSchema),
    removeSegment: (id: string) => http('DELETE', `/v1/segments/${enc(id)}`),
    bulk: (body: { id: string; where?: ConditionGroup; segmentId?: string; action: BulkAction }) =>
      http('POST', '/v1/contacts/bulk', body, segmentJobAnswer),
    job: (id: string) => http('GET', `/v1/jobs/${enc(id)}`, undefined, jobSchema),
  };
}