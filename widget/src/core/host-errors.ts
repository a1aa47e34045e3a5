// Failures the host page must act on (CONTRACT §3 `error`): which refusals stop the widget, the
// `{code, message}` the host receives, and the one console line telling the site owner what to fix.
import { WidgetError } from '../client/http';
import { apiError } from '../commands/api-error';

export interface HostError { code: string; message: string }
export interface Where { siteId: string; server: string; page: string }

/**
 * The refusal as the host sees it, or null when retrying may cure it (offline, 5xx, 429: the widget
 * keeps trying). A wrong data-site, an origin the server does not allow and a refused session never heal
 * by themselves, so the widget stops and says so instead of looking alive.
 */
export function fatalError(err: unknown, where: Where): HostError | null {
  if (!(err instanceof WidgetError)) return null;
  if (err.code === 'site_not_found') return { code: 'unknown_site', message: `data-site="${where.siteId}" is not a site on ${where.server}` };
  if (err.code === 'origin_not_allowed') return { code: 'origin_not_allowed', message: `${where.server} does not allow the widget on ${where.page}` };
  if (err.status === 400 || err.status === 403 || err.status === 404 || err.status === 410) return { code: err.code, message: err.message };
  return null;
}

/** What the site owner should change, for the one browser-console warning. */
export function fixHint(e: HostError, where: Where): string {
  if (e.code === 'unknown_site') return `Chative: ${e.message}. Check the data-site attribute of the widget.js <script> tag (the console's Settings -> Widget shows the snippet).`;
  if (e.code === 'origin_not_allowed') return `Chative: ${e.message}. Add ${where.page} to the console's Settings -> Widget -> Allowed origins (or CHATIVE_ALLOWED_ORIGINS on the server).`;
  return `Chative: the chat server refused the session (${e.code}: ${e.message}). The widget is stopped on this page.`;
}

/** The Error a host's rejected promise receives. */
export const toRejection = (e: HostError) => apiError(e.code, e.message); // the API's own Error with a code
