import { z } from 'zod';

// The agent API's shapes (CONTRACT §1/§5, PROTOCOL "Agent side additions"); types follow by z.infer.
export const contactType = z.enum(['guest', 'lead', 'customer']);
export const fieldType = z.enum(['text', 'number', 'date', 'boolean']);
export const customValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const contactSchema = z.object({
  id: z.string(),
  type: contactType,
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  timezone: z.string().nullable(),
  customerId: z.string().nullable(),
  custom: z.record(z.string(), customValue),
  tags: z.array(z.string()),
  note: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  mergedInto: z.string().optional(),
});

export const countsSchema = z.object({ guest: z.number(), lead: z.number(), customer: z.number(), total: z.number() });

export const customFieldSchema = z.object({
  key: z.string(), name: z.string(), type: fieldType,
  inForm: z.boolean().optional(), required: z.boolean().optional(), contactCount: z.number().optional(),
});

export const tagSchema = z.object({ name: z.string(), contactCount: z.number().optional(), createdAt: z.string().optional() });

export const messageSchema = z.object({
  id: z.string(), seq: z.number(), conversationId: z.string(), contactId: z.string().optional(),
  author: z.enum(['visitor', 'agent']), text: z.string(), createdAt: z.string(),
});

export const conversationSchema = z.object({
  id: z.string(), contactId: z.string(),
  contact: z.object({ id: z.string(), name: z.string().nullable(), type: contactType, email: z.string().nullable() }).optional(),
  lastMessage: messageSchema.nullable().optional(),
  lastMessageAt: z.string().nullable().optional(),
  unread: z.number().optional(),
});

export const formFieldSchema = z.object({
  key: z.string(), label: z.string().optional(), type: z.string().optional(),
  required: z.boolean().optional(), custom: z.boolean().optional(),
});

export const settingsSchema = z.object({
  color: z.string(), greeting: z.string(), position: z.string().optional(),
  name: z.string().optional(), greetings: z.record(z.string(), z.string()).optional(),
  theme: z.enum(['auto', 'light', 'dark']).optional(), sound: z.boolean().optional(),
  form: z.object({ enabled: z.boolean(), fields: z.array(formFieldSchema), emailOrPhone: z.boolean() }),
  verification: z.boolean(),
  allowedOrigins: z.array(z.string()),
  secret: z.string().optional(),
});

export type Contact = z.infer<typeof contactSchema>;
export type ContactType = z.infer<typeof contactType>;
export type FieldType = z.infer<typeof fieldType>;
export type CustomValue = z.infer<typeof customValue>;
export type Counts = z.infer<typeof countsSchema>;
export type CustomField = z.infer<typeof customFieldSchema>;
export type Tag = z.infer<typeof tagSchema>;
export type Message = z.infer<typeof messageSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type Settings = z.infer<typeof settingsSchema>;
export type Page<T> = { items: T[]; nextCursor: string | null };
