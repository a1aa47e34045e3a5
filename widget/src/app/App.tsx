// The chat window; which screen shows is derived from the core's state. mount.ts renders it only
// while the window is open, so a visitor who never opens the chat never runs this code.
import type { Core, WidgetState } from '../core/widget-core';
import type { Strings } from './i18n';
import type { Words } from '../loader/words';
import { PreChat } from './screens/PreChat';
import { Chat } from './screens/Chat';

/** The form shows only at the start of a guest's first conversation, when the site wants it (and the
 *  server has not refused this page: then the composer shows what cannot be sent). */
export function needsForm(s: WidgetState): boolean {
  const form = s.config?.form;
  const type = s.contact?.type || s.storedType || 'guest';
  return !!form?.enabled && form.fields.length > 0 && type === 'guest' && !s.identifying && !s.failure
    && !s.messages.length && !s.pending.length;
}

/** The site's greeting in the visitor's language; its English one (`greeting`) only for English
 *  speakers; else our translated default. */
export function greetingFor(config: WidgetState['config'], lang: string, strings: Strings): string {
  return config?.greetings?.[lang] || (lang === 'en' && config?.greeting) || strings.greeting;
}

export function ChatWindow({ core, strings, words }: { core: Core; strings: Strings; words: Words }) {
  const s = core.getState();
  const lang = words.lang;
  const title = greetingFor(s.config, lang, strings);
  let body;
  if (!s.config && !s.configFailed && !s.contact) body = <p class="body hint">{words.loading}</p>;
  else if (needsForm(s)) {
    body = (
      <div class="body">
        <PreChat fields={s.config!.form!.fields} emailOrPhone={!!s.config!.form!.emailOrPhone} strings={strings}
          initialValues={s.formValues} serverIssues={s.formIssues} serverError={s.formError}
          onSubmit={core.submitLead} />
      </div>
    );
  } else {
    body = <Chat title={words.title} messages={s.messages} pending={s.pending} strings={strings} lang={lang} team={s.config?.name} onSend={core.send} onTyping={core.typing} agentTyping={s.agentTyping} onRetry={core.retry} />;
  }
  return (
    <section class="window" role="dialog" aria-label={title}>
      <header class="header">
        <h2>{title}</h2>
        <button type="button" class="x" aria-label={words.close} onClick={core.close}>×</button>
      </header>
      {s.failure && <p class="hint" role="alert">{strings.unavailable}</p>}
      {body}
    </section>
  );
}
