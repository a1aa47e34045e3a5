// Parse a request body ourselves so malformed JSON and prototype keys are a 400, never a 500.
import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError, toIssues, validationError } from './http-error.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const SUSPECT = /__proto__|constructor|prototype|\\u/;

/** Reads the body as JSON (≤ the body limit, enforced earlier) and validates it with a schema. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let text: string;
  try {
    text = await c.req.text();
  } catch (err) {
    // the body limit throws our 413 from inside the stream; anything else is a client that went away mid-body
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'body_incomplete', 'request body ended early');
  }
  let raw: unknown;
  try {
    // the reviver costs a call per value: only bodies that could hold a forbidden key (or an escaped one) pay it
    raw = !SUSPECT.test(text) ? JSON.parse(text) : JSON.parse(text, (key, value) => {
      if (FORBIDDEN_KEYS.has(key)) throw new HttpError(400, 'invalid_json', `forbidden key "${key}"`, [{ path: [key], message: 'forbidden key' }]);
      return value;
    });
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'invalid_json', 'request body is not valid JSON');
  }
  return parseWith(schema, raw);
}

/** safeParse, throwing our 400 with the zod issues on failure. */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw validationError(toIssues(result.error.issues));
  return result.data;
}
