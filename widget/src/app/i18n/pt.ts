// Portuguese strings (português).
import type { Strings } from './en';

export const lang = 'pt';
export const strings: Strings = {
  openChat: 'Abrir chat',
  closeChat: 'Fechar chat',
  chatTitle: 'Chat',
  greeting: 'Olá! Como podemos ajudar?',
  message: 'Mensagem',
  send: 'Enviar',
  placeholder: 'Escreva sua mensagem…',
  start: 'Começar a conversar',
  formIntro: 'Diga-nos quem você é, para que possamos responder.',
  fieldLabels: { name: 'Nome', email: 'E-mail', phone: 'Telefone' },
  requiredMark: '(obrigatório)',
  yes: 'Sim',
  errorSummary: (n: number) => (n === 1 ? 'Corrija 1 campo.' : `Corrija ${n} campos.`),
  required: (label: string) => `Informe seu ${label.toLowerCase()}.`,
  email: 'Digite um e-mail como nome@exemplo.com.',
  phone: 'Digite um telefone: dígitos, opcionalmente com +código do país, espaços, hífens ou parênteses.',
  number: 'Digite um número.',
  date: 'Digite uma data no formato AAAA-MM-DD.',
  emailOrPhone: 'Digite um e-mail ou telefone, para que possamos responder.',
  pending: 'Enviando…',
  sent: 'Enviado',
  failed: 'Não enviado.',
  retry: 'Tentar de novo',
  loading: 'Carregando…',
  empty: 'Envie-nos uma mensagem — costumamos responder em poucos minutos.',
  you: 'Você',
  agent: 'Atendente',
  unread: (n: number) => `${n} não lida${n > 1 ? 's' : ''}`,
};
