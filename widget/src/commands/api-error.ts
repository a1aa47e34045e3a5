// Its own module so the loader's import of the queue does not pull in the API's argument checks.

/** An Error with a `code`, as host pages receive from rejected calls. */
export function apiError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}
