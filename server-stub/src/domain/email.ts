// The email rule is part of the contract (widget/src/contract/rules.ts); re-exported for the server's domain.
export { normalizeEmail } from '../../../widget/src/contract/rules.js';
