// English strings. Adding a language = one more file in this folder with the same keys (see vi.ts).
export const lang = 'en';
export const strings = {
  openChat: 'Open chat',
  closeChat: 'Close chat',
  chatTitle: 'Chat',
  /** The greeting when the site set none for this language. */
  greeting: 'Hi! How can we help?',
  message: 'Message',
  send: 'Send',
  placeholder: 'Type your message…',
  start: 'Start chatting',
  formIntro: 'Tell us who you are, so we can get back to you.',
  fieldLabels: { name: 'Name', email: 'Email', phone: 'Phone' } as Record<string, string>,
  requiredMark: '(required)',
  yes: 'Yes',
  errorSummary: (n: number) => (n === 1 ? 'Please fix 1 field.' : `Please fix ${n} fields.`),
  required: (label: string) => `Please enter your ${label.toLowerCase()}.`,
  email: 'Please enter an email address like name@example.com.',
  phone: 'Please enter a phone number: digits, optionally with +country code, spaces, dashes or brackets.',
  number: 'Please enter a number.',
  date: 'Please enter a date as YYYY-MM-DD.',
  emailOrPhone: 'Please enter an email or a phone number, so we can reply.',
  pending: 'Sending…',
  sent: 'Sent',
  failed: 'Not sent.',
  retry: 'Retry',
  loading: 'Loading…',
  empty: 'Send us a message — we usually reply in a few minutes.',
  you: 'You',
  agent: 'Agent',
  unread: (n: number) => `${n} unread`,
};
export type Strings = typeof strings;
