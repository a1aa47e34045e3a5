// Opaque random ids and tokens.
import { createHash, randomBytes } from 'node:crypto';

export const newContactId = () => 'ct_' + randomBytes(12).toString('base64url');
export const newConversationId = () => 'cv_' + randomBytes(12).toString('base64url');
/** A visitor token: 256 random bits, 43 base64url characters. */
export const newToken = () => randomBytes(32).toString('base64url');
/** Only this hash is stored, so a leaked database holds no usable token. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
