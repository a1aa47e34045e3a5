// The agent API's shapes come from the one contract (widget/src/contract/zod); this file only names them
// for the console. http.ts safeParses every answer with them, so a drift shows as an error, not a blank screen.
import type { z } from 'zod';
import {
  agentContactSchema, contactLookupSchema, contactTypeSchema, conversationSchema as baseConversationSchema, countsSchema, customFieldSchema,
  customValueSchema, fieldTypeSchema, formFieldSchema, settingsResponseSchema, tagSchema,
} from '../../../../widget/src/contract/zod/responses';
import type { contactPatchSchema } from '../../../../widget/src/contract/zod/agent';
import type { settingsPatchSchema } from '../../../../widget/src/contract/zod/settings';
import {
  activityItemSchema, conversationCountsSchema, conversationTeamFields, teamAgentSchema, teamMessageSchema,
  type Role,
} from '../../../../widget/src/contract/zod/team';

export {
  agentContactSchema as contactSchema, contactLookupSchema, countsSchema, customFieldSchema,
  pageSchema, rotatedSecretSchema, settingsResponseSchema as settingsSchema, tagSchema,
} from '../../../../widget/src/contract/zod/responses';
export { activityPageSchema, conversationCountsSchema } from '../../../../widget/src/contract/zod/team';
/** §6: agent messages name their author (`agent`); conversations carry `status` and `assigneeId`. */
export const messageSchema = teamMessageSchema;
export const conversationSchema = baseConversationSchema.extend({ ...conversationTeamFields, lastMessage: teamMessageSchema.nullable() });

export type Contact = z.infer<typeof agentContactSchema>;
export type ContactLookup = z.infer<typeof contactLookupSchema>;
export type ContactType = z.infer<typeof contactTypeSchema>;
export type FieldType = z.infer<typeof fieldTypeSchema>;
export type CustomValue = z.infer<typeof customValueSchema>;
export type Counts = z.infer<typeof countsSchema>;
export type CustomField = z.infer<typeof customFieldSchema>;
export type Tag = z.infer<typeof tagSchema>;
export type Message = z.infer<typeof teamMessageSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type ConversationCounts = z.infer<typeof conversationCountsSchema>;
export type TeamAgent = z.infer<typeof teamAgentSchema>;
export type ActivityItem = z.infer<typeof activityItemSchema>;
export type { Role };
export type FormField = z.infer<typeof formFieldSchema>;
export type Settings = z.infer<typeof settingsResponseSchema>;
export type SettingsPatch = z.input<typeof settingsPatchSchema>;
export type ContactPatch = z.input<typeof contactPatchSchema>;
export type Page<T> = { items: T[]; nextCursor: string | null };
