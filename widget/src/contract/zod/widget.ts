// Requests of the widget endpoints other than /v1/sync (PROTOCOL.md): session start/resume, history.
import { z } from 'zod';
import { localeSchema, timezoneSchema } from './common.js';

/** POST /v1/sessions */
export const sessionStartSchema = z.strictObject({ siteId: z.string().max(64), timezone: timezoneSchema.optional(), locale: localeSchema.optional() });
/** GET /v1/session?timezone=&locale= */
export const sessionResumeSchema = z.object({ timezone: timezoneSchema.optional(), locale: localeSchema.optional() });
/** A message seq as a query value (`after`, a history cursor). */
export const seqSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** GET /v1/messages?after=&limit= */
export const historyQuerySchema = z.object({
  after: seqSchema.default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
