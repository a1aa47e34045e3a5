// Turning a request's `where` / `segmentId` into one checked condition (CONTRACT §7), and the segment rows' public shape.
import type { ConditionGroup } from '../../../widget/src/contract/zod/conditions.js';
import { checkCondition, type CheckedGroup } from '../domain/conditions/index.js';
import type { FieldType } from '../domain/custom-fields.js';
import { HttpError, validationError } from '../http/http-error.js';
import type { Reader, SegmentRecord } from '../storage/store.js';

/** The custom fields' types, read once per unit. */
export async function fieldTypesOf(r: Reader): Promise<(key: string) => FieldType | undefined> {
  const types = new Map((await r.listFields()).map((f) => [f.key, f.type]));
  return (key) => types.get(key);
}

/**
 * A saved segment's condition, checked against today's fields; null when a field it names was deleted since
 * (the segment then matches nothing until it is edited, rather than silently matching more).
 */
export function segmentWhere(seg: SegmentRecord, fieldType: (key: string) => FieldType | undefined): CheckedGroup | null {
  const r = checkCondition(JSON.parse(seg.whereJson) as ConditionGroup, fieldType, ['segment', 'where']);
  return r.ok ? r.where : null;
}

/**
 * `where` and/or `segmentId` as one checked condition (both: AND); undefined when neither is given (everyone).
 * A bad leaf is a 400 at its path; an unknown segment a 404; a segment whose fields were deleted a 409.
 */
export async function resolveWhere(r: Reader, body: { where?: ConditionGroup; segmentId?: string }, fieldType: (key: string) => FieldType | undefined): Promise<CheckedGroup | undefined> {
  const parts: CheckedGroup[] = [];
  if (body.segmentId !== undefined) {
    const seg = await r.getSegment(body.segmentId);
    if (!seg) throw new HttpError(404, 'segment_not_found', 'no such segment', [{ path: ['segmentId'], message: 'no such segment' }]);
    const where = segmentWhere(seg, fieldType);
    if (!where) throw new HttpError(409, 'segment_outdated', 'the segment names a custom field that no longer exists: edit it', [{ path: ['segmentId'], message: 'names a deleted custom field' }]);
    parts.push(where);
  }
  if (body.where !== undefined) {
    const checked = checkCondition(body.where, fieldType, ['where']);
    if (!checked.ok) throw validationError(checked.issues);
    parts.push(checked.where);
  }
  return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { all: parts };
}

export const presentSegment = (s: SegmentRecord, count: number | null) => ({
  id: s.id, name: s.name, where: JSON.parse(s.whereJson) as ConditionGroup, count: count ?? 0, ...(count === null ? { outdated: true } : {}), createdAt: s.createdAt, updatedAt: s.updatedAt,
});
