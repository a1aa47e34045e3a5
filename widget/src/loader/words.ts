// The few words the loader shows before the window's code and language file arrive: the launcher's
// public name (CONTRACT §3) and the window shell. The built loader speaks English only (every page view
// pays its bytes): the server that serves widget.js bakes the visitor's language's words into the config
// (server-stub/src/http/launcher-words.ts), and the window hands its own language's over (ui.setWords).
import { launcher as english } from '../app/i18n/en';

export interface Words { lang: string; open: string; close: string; title: string; loading: string; failed: string }

/** "lang|open|close|loading|failed[|title]" (one string: fewer bytes; no title: "Chat"); none: English. */
export function parseWords(row = 'en|' + english): Words {
  const [lang, open, close, loading, failed, title = 'Chat'] = row.split('|');
  return { lang, open, close, title, loading, failed };
}
