// CONTRACT §9 answers the console reads: import jobs and their undo, retention status, one contact's export.
import { z } from 'zod';

export const importErrorSchema = z.object({ row: z.number(), column: z.string().nullable(), code: z.string(), message: z.string() });
export const importResultSchema = z.object({
  created: z.number(), updated: z.number(), unchanged: z.number(), errors: z.array(importErrorSchema), errorCount: z.number().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export const importStartedSchema = z.object({ jobId: z.string() });
export const importJobSchema = z.object({
  id: z.string(), match: z.string(), dryRun: z.boolean(), status: z.enum(['running', 'done', 'failed']), done: z.number(),
  result: importResultSchema.nullable(), createdAt: z.string(), finishedAt: z.string().nullable(), undoneAt: z.string().nullable(),
});
export const importUndoSchema = z.object({ reverted: z.number(), removed: z.number(), kept: z.number() });
export const retentionStatusSchema = z.object({ guestDays: z.number().nullable(), lastRun: z.object({ at: z.string(), erased: z.number() }).nullable() });

export type ImportError = z.infer<typeof importErrorSchema>;
export type ImportJob = z.infer<typeof importJobSchema>;
