// The one error type routes throw; app.ts turns it into {"error":{code,message,issues}}.
export type Issue = { path: (string | number)[]; message: string };

/** An HTTP failure with a stable machine code and optional per-field issues. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 503,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** Turns zod issues into our issue shape (path + message only: no echo of input values). */
export function toIssues(issues: readonly { path: PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[]): Issue[] {
  const path = (p: PropertyKey[]) => p.map((x) => (typeof x === 'number' ? x : String(x)));
  // an unknown key (e.g. `role` sent to PATCH /v1/me) is named in the path, so the client sees which field it was
  return issues.flatMap((i) => (i.code === 'unrecognized_keys' && i.keys?.length ? i.keys.map((k) => ({ path: [...path(i.path), k], message: 'unknown field' })) : [{ path: path(i.path), message: i.message }]));
}

/** 400 validation_failed naming the first field that failed. */
export function validationError(issues: Issue[]): HttpError {
  const first = issues[0];
  const where = first && first.path.length ? `${first.path.join('.')}: ` : '';
  return new HttpError(400, 'validation_failed', `${where}${first?.message ?? 'invalid input'}`, issues);
}
