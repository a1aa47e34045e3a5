// The server's verdict, placed where it belongs: issues[].path mapped to the editor's field, the
// conflict codes (409) in plain words, and the aria wiring that ties a message to its input.
import { ApiError, type Issue } from '../api/http';

/** First message per field; `fieldOf` picks the editor's field for a path (default: its first step). */
export function issuesByField(err: unknown, fieldOf: (path: Issue['path']) => string | undefined = (p) => (p.length ? String(p[0]) : undefined)): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ApiError)) return out;
  for (const i of err.issues) {
    const field = fieldOf(i.path);
    if (field !== undefined && !(field in out)) out[field] = sentence(i.message);
  }
  return out;
}

/** What to say when no field took the refusal (or the server could not be reached). */
export function errorText(err: unknown, fallback: string): string {
  return err instanceof ApiError ? sentence(err.message) : fallback;
}

/** Props for an input whose message paragraph has the id `${id}-err`. */
export function invalidProps(id: string, message: string | undefined | null) {
  return message ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-err` } : {};
}

/** "already exists" in the words of the thing that exists (server 409 `field_exists` / `tag_exists`). */
export function conflictText(err: unknown, what: string): string | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  return `${what} already exists. Choose another name.`;
}

const sentence = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s).replace(/([^.!?])$/, '$1.');
