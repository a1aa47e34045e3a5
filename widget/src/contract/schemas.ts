// Server response shapes (docs/PROTOCOL.md "Shapes"), as types only: they come from the contract's zod
// schemas by `import type` (erased: no zod in the bundle). The window trusts their shape (issue 10, fifth
// pass): it is served by the very server it talks to, from the same build (a hashed chunk name), so the
// answers' shape is the contract that tests/server/contract.test.ts holds the real server to with zod. The
// hand-written guards that sat here (~300 B gzip) could only fail for a different server; the client still
// refuses a 2xx answer that is not JSON (a proxy's page) as `bad_response`.
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
