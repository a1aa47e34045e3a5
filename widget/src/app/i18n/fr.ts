// French strings (français).
import type { Strings } from './en';

export const lang = 'fr';
export const strings: Strings = {
  openChat: 'Ouvrir le chat',
  closeChat: 'Fermer le chat',
  chatTitle: 'Chat',
  greeting: 'Bonjour ! Comment pouvons-nous vous aider ?',
  message: 'Message',
  send: 'Envoyer',
  placeholder: 'Écrivez votre message…',
  start: 'Commencer la discussion',
  formIntro: 'Dites-nous qui vous êtes, pour que nous puissions vous répondre.',
  fieldLabels: { name: 'Nom', email: 'E-mail', phone: 'Téléphone' },
  requiredMark: '(obligatoire)',
  yes: 'Oui',
  errorSummary: (n: number) => (n === 1 ? 'Veuillez corriger 1 champ.' : `Veuillez corriger ${n} champs.`),
  required: (label: string) => `Veuillez indiquer : ${label.toLowerCase()}.`,
  email: 'Veuillez saisir une adresse e-mail comme nom@exemple.fr.',
  phone: 'Veuillez saisir un numéro de téléphone : des chiffres, éventuellement avec +indicatif, espaces, tirets ou parenthèses.',
  number: 'Veuillez saisir un nombre.',
  date: 'Veuillez saisir une date au format AAAA-MM-JJ.',
  emailOrPhone: 'Veuillez saisir un e-mail ou un numéro de téléphone, pour que nous puissions répondre.',
  pending: 'Envoi…',
  sent: 'Envoyé',
  failed: 'Non envoyé.',
  retry: 'Réessayer',
  loading: 'Chargement…',
  empty: 'Envoyez-nous un message — nous répondons en général en quelques minutes.',
  you: 'Vous',
  agent: 'Conseiller',
  unread: (n: number) => `${n} non lu${n > 1 ? 's' : ''}`,
};
