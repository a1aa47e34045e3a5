// Spanish strings (español).
import type { Strings } from './en';

export const lang = 'es';
/** The launcher's and the window shell's words: open|close|loading|failed[|title, else "Chat"] (loader/words.ts). */
export const launcher = 'Abrir chat|Cerrar chat|Cargando…|No se pudo cargar. Reintentando…';
export const strings: Strings = {
  greeting: '¡Hola! ¿En qué podemos ayudarte?',
  message: 'Mensaje',
  send: 'Enviar',
  placeholder: 'Escribe tu mensaje…',
  start: 'Empezar a chatear',
  formIntro: 'Dinos quién eres para que podamos responderte.',
  fieldLabels: { name: 'Nombre', email: 'Correo electrónico', phone: 'Teléfono' },
  requiredMark: '(obligatorio)',
  errorSummary: (n: number) => (n === 1 ? 'Corrige 1 campo.' : `Corrige ${n} campos.`),
  required: (label: string) => `Indica tu ${label.toLowerCase()}.`,
  email: 'Escribe un correo electrónico como nombre@ejemplo.com.',
  number: 'Escribe un número.',
  date: 'Escribe una fecha con el formato AAAA-MM-DD.',
  unavailable: 'El chat no está disponible en esta página ahora mismo.',
  emailOrPhone: 'Escribe un correo electrónico o un teléfono para que podamos responderte.',
  pending: 'Enviando…',
  failed: 'No enviado.',
  retry: 'Reintentar',
  empty: 'Envíanos un mensaje: solemos responder en pocos minutos.',
  typing: 'está escribiendo…',
  you: 'Tú',
  agent: 'Agente',
  unread: (n: number) => `${n} sin leer`,
};
