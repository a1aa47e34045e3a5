// The condition language (CONTRACT §7): one field table (fields.ts) behind validation, the evaluator and the SQL compiler.
export { checkCondition, type CheckedGroup, type CheckedLeaf, type CheckedNode } from './check.js';
export { matches } from './evaluate.js';
export { compileWhere, POSTGRES_DIALECT, SQLITE_DIALECT, type Dialect } from './sql.js';
export { resolveField, fitsKind, type FieldRef } from './fields.js';
export { addDays, dayOf } from './days.js';
export { compileSort, sortProblem, sortWalk, type SortPhase, DEFAULT_SORT, type SortAfter, type SortSpec, type SortValue } from './sort.js';
export { candidatesOf, DEFAULT_PLAN, estimateFromSample, idSpaceUpTo, type Candidate, type SearchPlan } from './plan.js';
