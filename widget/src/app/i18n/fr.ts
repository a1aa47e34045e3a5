// French strings (français).
import type { Strings } from './en';

export const lang = 'fr';
/** The launcher's and the window shell's words: open|close|loading|failed[|title, else "Chat"] (loader/words.ts). */
export const launcher = 'Ouvrir le chat|Fermer le chat|Chargement…|Échec du chargement. Nouvel essai…';
export const strings: Strings = {
  greeting: 'Bonjour ! Comment pouvons-nous vous aider ?',
  message: 'Message',
  send: 'Envoyer',
  placeholder: 'Écrivez votre message…',
  start: 'Commencer la discussion',
  formIntro: 'Dites-nous qui vous êtes, pour que nous puissions vous répondre.',
  fieldLabels: { name: 'Nom', email: 'E-mail', phone: 'Téléphone' },
  requiredMark: '(obligatoire)',
  errorSummary: (n: number) => (n === 1 ? 'Veuillez corriger 1 champ.' : `Veuillez corriger ${n} champs.`),
  required: (label: string) => `Veuillez indiquer : ${label.toLowerCase()}.`,
  email: 'Veuillez saisir une adresse e-mail comme nom@exemple.fr.',
  number: 'Veuillez saisir un nombre.',
  date: 'Veuillez saisir une date au format AAAA-MM-JJ.',
  unavailable: 'Le chat n’est pas disponible sur cette page pour le moment.',
  emailOrPhone: 'Veuillez saisir un e-mail ou un numéro de téléphone, pour que nous puissions répondre.',
  pending: 'Envoi…',
  failed: 'Non envoyé.',
  retry: 'Réessayer',
  empty: 'Envoyez-nous un message — nous répondons en général en quelques minutes.',
  typing: 'est en train d’écrire…',
  you: 'Vous',
  agent: 'Conseiller',
  unread: (n: number) => `${n} non lu${n > 1 ? 's' : ''}`,
};
