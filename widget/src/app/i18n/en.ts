// English strings. Adding a language = one more file in this folder with the same exports (lang, launcher, strings; see vi.ts).
export const lang = 'en';
/** The launcher's and the window shell's words: open|close|loading|failed[|title, else "Chat"]. The loader is built
 *  with these (loader/words.ts); the server bakes another language's into widget.js; the window hands its own over. */
export const launcher = 'Open chat|Close chat|Loading…|Could not load. Retrying…';
export const strings = {
  /** The greeting when the site set none for this language. */
  greeting: 'Hi! How can we help?',
  message: 'Message',
  send: 'Send',
  placeholder: 'Type your message…',
  start: 'Start chatting',
  formIntro: 'Tell us who you are, so we can get back to you.',
  fieldLabels: { name: 'Name', email: 'Email', phone: 'Phone' } as Record<string, string>,
  requiredMark: '(required)',
  errorSummary: (n: number) => (n === 1 ? 'Please fix 1 field.' : `Please fix ${n} fields.`),
  required: (label: string) => `Please enter your ${label.toLowerCase()}.`,
  email: 'Please enter an email address like name@example.com.',
  number: 'Please enter a number.',
  date: 'Please enter a date as YYYY-MM-DD.',
  emailOrPhone: 'Please enter an email or a phone number, so we can reply.',
  pending: 'Sending…',
  failed: 'Not sent.',
  unavailable: 'The chat is not available on this page right now.',
  retry: 'Retry',
  empty: 'Send us a message — we usually reply in a few minutes.',
  typing: 'is typing…',
  you: 'You',
  agent: 'Agent',
  unread: (n: number) => `${n} unread`,
};
export type Strings = typeof strings;
