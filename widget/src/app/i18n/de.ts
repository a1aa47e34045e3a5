// German strings (Deutsch).
import type { Strings } from './en';

export const lang = 'de';
/** The launcher's and the window shell's words: open|close|loading|failed[|title, else "Chat"] (loader/words.ts). */
export const launcher = 'Chat öffnen|Chat schließen|Wird geladen…|Laden fehlgeschlagen. Neuer Versuch…';
export const strings: Strings = {
  greeting: 'Hallo! Wie können wir helfen?',
  message: 'Nachricht',
  send: 'Senden',
  placeholder: 'Nachricht eingeben…',
  start: 'Chat starten',
  formIntro: 'Sagen Sie uns, wer Sie sind, damit wir antworten können.',
  fieldLabels: { name: 'Name', email: 'E-Mail', phone: 'Telefon' },
  requiredMark: '(Pflichtfeld)',
  errorSummary: (n: number) => (n === 1 ? 'Bitte korrigieren Sie 1 Feld.' : `Bitte korrigieren Sie ${n} Felder.`),
  required: (label: string) => `Bitte geben Sie Folgendes ein: ${label}.`,
  email: 'Bitte geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.',
  number: 'Bitte geben Sie eine Zahl ein.',
  date: 'Bitte geben Sie ein Datum als JJJJ-MM-TT ein.',
  unavailable: 'Der Chat ist auf dieser Seite gerade nicht verfügbar.',
  emailOrPhone: 'Bitte geben Sie eine E-Mail-Adresse oder Telefonnummer ein, damit wir antworten können.',
  pending: 'Wird gesendet…',
  failed: 'Nicht gesendet.',
  retry: 'Erneut versuchen',
  empty: 'Schreiben Sie uns — wir antworten meist innerhalb weniger Minuten.',
  typing: 'schreibt…',
  you: 'Sie',
  agent: 'Mitarbeiter',
  unread: (n: number) => `${n} ungelesen`,
};
