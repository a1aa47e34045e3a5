// German strings (Deutsch).
import type { Strings } from './en';

export const lang = 'de';
export const strings: Strings = {
  openChat: 'Chat öffnen',
  closeChat: 'Chat schließen',
  chatTitle: 'Chat',
  greeting: 'Hallo! Wie können wir helfen?',
  message: 'Nachricht',
  send: 'Senden',
  placeholder: 'Nachricht eingeben…',
  start: 'Chat starten',
  formIntro: 'Sagen Sie uns, wer Sie sind, damit wir antworten können.',
  fieldLabels: { name: 'Name', email: 'E-Mail', phone: 'Telefon' },
  requiredMark: '(Pflichtfeld)',
  yes: 'Ja',
  errorSummary: (n: number) => (n === 1 ? 'Bitte korrigieren Sie 1 Feld.' : `Bitte korrigieren Sie ${n} Felder.`),
  required: (label: string) => `Bitte geben Sie Folgendes ein: ${label}.`,
  email: 'Bitte geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.',
  phone: 'Bitte geben Sie eine Telefonnummer ein: Ziffern, optional mit +Ländervorwahl, Leerzeichen, Bindestrichen oder Klammern.',
  number: 'Bitte geben Sie eine Zahl ein.',
  date: 'Bitte geben Sie ein Datum als JJJJ-MM-TT ein.',
  emailOrPhone: 'Bitte geben Sie eine E-Mail-Adresse oder Telefonnummer ein, damit wir antworten können.',
  pending: 'Wird gesendet…',
  sent: 'Gesendet',
  failed: 'Nicht gesendet.',
  retry: 'Erneut versuchen',
  loading: 'Wird geladen…',
  empty: 'Schreiben Sie uns — wir antworten meist innerhalb weniger Minuten.',
  you: 'Sie',
  agent: 'Mitarbeiter',
  unread: (n: number) => `${n} ungelesen`,
};
