// Spanish strings (español).
import type { Strings } from './en';

export const lang = 'es';
export const strings: Strings = {
  openChat: 'Abrir chat',
  closeChat: 'Cerrar chat',
  chatTitle: 'Chat',
  greeting: '¡Hola! ¿En qué podemos ayudarte?',
  message: 'Mensaje',
  send: 'Enviar',
  placeholder: 'Escribe tu mensaje…',
  start: 'Empezar a chatear',
  formIntro: 'Dinos quién eres para que podamos responderte.',
  fieldLabels: { name: 'Nombre', email: 'Correo electrónico', phone: 'Teléfono' },
  requiredMark: '(obligatorio)',
  yes: 'Sí',
  errorSummary: (n: number) => (n === 1 ? 'Corrige 1 campo.' : `Corrige ${n} campos.`),
  required: (label: string) => `Indica tu ${label.toLowerCase()}.`,
  email: 'Escribe un correo electrónico como nombre@ejemplo.com.',
  phone: 'Escribe un número de teléfono: dígitos, opcionalmente con +código de país, espacios, guiones o paréntesis.',
  number: 'Escribe un número.',
  date: 'Escribe una fecha con el formato AAAA-MM-DD.',
  emailOrPhone: 'Escribe un correo electrónico o un teléfono para que podamos responderte.',
  pending: 'Enviando…',
  sent: 'Enviado',
  failed: 'No enviado.',
  retry: 'Reintentar',
  loading: 'Cargando…',
  empty: 'Envíanos un mensaje: solemos responder en pocos minutos.',
  you: 'Tú',
  agent: 'Agente',
  unread: (n: number) => `${n} sin leer`,
};
