// Server response shapes (docs/PROTOCOL.md "Shapes"), checked at the trust boundary.
// Hand-written guards, not zod: zod/mini's object+record+union machinery cost ~3 KB gzip here,
// 15 % of the whole widget budget (see docs/WIDGET.md "Sizes"). The form keeps zod/mini.

export type ContactType = 'guest' | 'lead' | 'customer';
export interface Contact {
  id: string; type: ContactType;
  name?: string | null; email?: string | null; phone?: string | null;
  customerId?: string | null; timezone?: string | null; custom?: Record<string, unknown> | null;
}
export interface Message { id: string; seq: number; conversationId: string; author: 'visitor' | 'agent'; agentName?: string | null; text: string; createdAt: string }
export interface FormField { key: string; label: string; type: string; required?: boolean; custom?: boolean }
export interface SiteConfig {
  siteId: string; color?: string; greeting?: string; position?: string; verification?: boolean;
  /** The team's name: agentName on agent messages until agents have accounts. */
  name?: string;
  greetings?: Record<string, string>;
  theme?: 'auto' | 'light' | 'dark';
  /** Chime on a new agent message while the chat is closed or the tab hidden (the owner's choice). */
  sound?: boolean;
  form?: { enabled: boolean; fields: FormField[]; emailOrPhone?: boolean };
}
export interface ErrorBody { code: string; message?: string; issues?: unknown[] }
export interface SyncResult { id: string; status: 'applied' | 'duplicate' | 'rejected'; error?: ErrorBody; message?: Message }
export interface SyncResponse { results: SyncResult[]; contact?: Contact }

/** A guard returns the value typed when it has the shape, else null. */
export type Guard<T> = (v: unknown) => T | null;

const obj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown) => v == null || str(v);
const list = <T>(v: unknown, item: Guard<T>): T[] | null => (Array.isArray(v) && v.every((x) => item(x)) ? (v as T[]) : null);

export const contactSchema: Guard<Contact> = (v) =>
  obj(v) && str(v.id) && ['guest', 'lead', 'customer'].includes(v.type)
    && optStr(v.name) && optStr(v.email) && optStr(v.phone) && optStr(v.customerId) ? (v as Contact) : null;

export const messageSchema: Guard<Message> = (v) =>
  obj(v) && str(v.id) && typeof v.seq === 'number' && str(v.conversationId) && (v.author === 'visitor' || v.author === 'agent')
    && str(v.text) && str(v.createdAt) ? (v as Message) : null;

const fieldGuard: Guard<FormField> = (v) => (obj(v) && str(v.key) && str(v.label) && str(v.type) ? (v as FormField) : null);

export const siteConfigSchema: Guard<SiteConfig> = (v) =>
  obj(v) && str(v.siteId) && (v.form == null || (obj(v.form) && list(v.form.fields, fieldGuard))) ? (v as SiteConfig) : null;

export const sessionSchema: Guard<{ token?: string; contact: Contact }> = (v) =>
  obj(v) && optStr(v.token) && contactSchema(v.contact) ? (v as { token?: string; contact: Contact }) : null;

export const historySchema: Guard<{ items: Message[]; nextCursor?: string | null }> = (v) =>
  obj(v) && list(v.items, messageSchema) && optStr(v.nextCursor) ? (v as { items: Message[]; nextCursor?: string | null }) : null;

const errorGuard: Guard<ErrorBody> = (v) => (obj(v) && str(v.code) ? (v as ErrorBody) : null);

const resultGuard: Guard<SyncResult> = (v) =>
  obj(v) && str(v.id) && ['applied', 'duplicate', 'rejected'].includes(v.status)
    && (v.error == null || errorGuard(v.error)) && (v.message == null || messageSchema(v.message)) ? (v as SyncResult) : null;

export const syncResponseSchema: Guard<SyncResponse> = (v) =>
  obj(v) && list(v.results, resultGuard) && (v.contact == null || contactSchema(v.contact)) ? (v as SyncResponse) : null;

export const errorResponseSchema: Guard<{ error: ErrorBody }> = (v) => (obj(v) && errorGuard(v.error) ? (v as { error: ErrorBody }) : null);
