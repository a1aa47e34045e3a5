// Portuguese strings (português).
import type { Strings } from './en';

export const lang = 'pt';
/** The launcher's and the window shell's words: open|close|loading|failed[|title, else "Chat"] (loader/words.ts). */
export const launcher = 'Abrir chat|Fechar chat|Carregando…|Falha ao carregar. Tentando de novo…';
export const strings: Strings = {
  greeting: 'Olá! Como podemos ajudar?',
  message: 'Mensagem',
  send: 'Enviar',
  placeholder: 'Escreva sua mensagem…',
  start: 'Começar a conversar',
  formIntro: 'Diga-nos quem você é, para que possamos responder.',
  fieldLabels: { name: 'Nome', email: 'E-mail', phone: 'Telefone' },
  requiredMark: '(obrigatório)',
  errorSummary: (n: number) => (n === 1 ? 'Corrija 1 campo.' : `Corrija ${n} campos.`),
  required: (label: string) => `Informe seu ${label.toLowerCase()}.`,
  email: 'Digite um e-mail como nome@exemplo.com.',
  number: 'Digite um número.',
  date: 'Digite uma data no formato AAAA-MM-DD.',
  unavailable: 'O chat não está disponível nesta página agora.',
  emailOrPhone: 'Digite um e-mail ou telefone, para que possamos responder.',
  pending: 'Enviando…',
  failed: 'Não enviado.',
  retry: 'Tentar de novo',
  empty: 'Envie-nos uma mensagem — costumamos responder em poucos minutos.',
  typing: 'está digitando…',
  you: 'Você',
  agent: 'Atendente',
  unread: (n: number) => `${n} não lida${n > 1 ? 's' : ''}`,
};
