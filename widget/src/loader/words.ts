// The few words the loader shows before the window's code and language file arrive: the launcher's
// public name (CONTRACT §3) and the window shell. One row per language of widget/src/app/i18n/.
// "open chat|close chat|loading|the window's code failed|chat title" (one string: fewer bytes; no title: "Chat")
const WORDS: Record<string, string> = {
  en: 'Open chat|Close chat|Loading…|Could not load. Retrying…',
  vi: 'Mở trò chuyện|Đóng trò chuyện|Đang tải…|Không tải được. Đang thử lại…|Trò chuyện',
  fr: 'Ouvrir le chat|Fermer le chat|Chargement…|Échec du chargement. Nouvel essai…',
  es: 'Abrir chat|Cerrar chat|Cargando…|No se pudo cargar. Reintentando…',
  de: 'Chat öffnen|Chat schließen|Wird geladen…|Laden fehlgeschlagen. Neuer Versuch…',
  pt: 'Abrir chat|Fechar chat|Carregando…|Falha ao carregar. Tentando de novo…',
};

export interface Words { lang: string; open: string; close: string; title: string; loading: string; failed: string }

/** The first of `preferred` (page lang, browser languages) that we speak; else English. */
export function pickWords(preferred: (string | undefined | null)[]): Words {
  let lang = 'en';
  for (const tag of preferred) {
    const base = (tag || '').toLowerCase().split('-')[0];
    if (WORDS[base]) { lang = base; break; }
  }
  const [open, close, loading, failed, title = 'Chat'] = WORDS[lang].split('|');
  return { lang, open, close, title, loading, failed };
}
