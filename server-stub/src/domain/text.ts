// The text rules live in the contract (one copy for server and console).
export { customerIdProblem, isInvisible, stripFormatChars } from '../../../widget/src/contract/text.js';
