// Server response shapes (docs/PROTOCOL.md "Shapes"), checked at the trust boundary.
// The types come from the contract's zod schemas by `import type` (erased: no zod in the bundle);
// the guards are hand-written because zod/mini's object+record+union machinery cost ~3 KB gzip here,
// 15 % of the whole widget budget (see docs/WIDGET.md "Sizes"). tests/unit/contract holds the real
// server's answers to these guards and the zod types to these interfaces.
import type { z } from 'zod';
import type {
  errorResponseSchema as errorZ, formFieldSchema, historySchema as historyZ, messageSchema as messageZ, sessionSchema as sessionZ,
  siteConfigSchema as siteConfigZ, syncResponseSchema as syncResponseZ, widgetContactSchema,
} from './zod/responses';
export type { ContactType } from './rules';

export type Contact = z.infer<typeof widgetContactSchema>;
export type Message = z.infer<typeof messageZ>;
export type FormField = z.infer<typeof formFieldSchema>;
// The widget reads only what its guards check and defaults the rest, so these two are looser than the wire.
export type SiteConfig = Pick<z.infer<typeof siteConfigZ>, 'siteId'> & Partial<z.infer<typeof siteConfigZ>>;
export type SyncResponse = Omit<z.infer<typeof syncResponseZ>, 'contact'> & { contact?: Contact };
export type ErrorBody = z.infer<typeof errorZ>['error'];
export type SyncResult = SyncResponse['results'][number];
export type Session = z.infer<typeof sessionZ>;
export type History = z.infer<typeof historyZ>;

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

export const sessionSchema: Guard<Session> = (v) =>
  obj(v) && optStr(v.token) && contactSchema(v.contact) ? (v as Session) : null;

export const historySchema: Guard<History> = (v) =>
  obj(v) && list(v.items, messageSchema) && optStr(v.nextCursor) ? (v as History) : null;

const errorGuard: Guard<ErrorBody> = (v) => (obj(v) && str(v.code) && str(v.message) ? (v as ErrorBody) : null);

const resultGuard: Guard<SyncResult> = (v) =>
  obj(v) && str(v.id) && ['applied', 'duplicate', 'rejected'].includes(v.status)
    && (v.error == null || errorGuard(v.error)) && (v.message == null || messageSchema(v.message)) ? (v as SyncResult) : null;

export const syncResponseSchema: Guard<SyncResponse> = (v) =>
  obj(v) && list(v.results, resultGuard) && (v.contact == null || contactSchema(v.contact)) ? (v as SyncResponse) : null;

export const errorResponseSchema: Guard<{ error: ErrorBody }> = (v) => (obj(v) && errorGuard(v.error) ? (v as { error: ErrorBody }) : null);
