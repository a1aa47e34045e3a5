// Body size limit that trusts Content-Length without touching the request body, so the Node adapter
// can read the body straight from the socket (hono's bodyLimit builds a web Request + stream per request).
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from './http-error.js';

export function createBodyLimit(maxSize: number, message = `request body is larger than ${maxSize} bytes`): MiddlewareHandler {
  const tooLarge = () => {
    throw new HttpError(413, 'body_too_large', message);
  };
  // chunked bodies have no length up front: hono's streaming check counts them
  const streaming = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      // Node's parser already refused a malformed Content-Length; the socket cannot send more than it says
      if (Number(length) > maxSize) tooLarge();
      return next();
    }
    return streaming(c, next);
  };
}
