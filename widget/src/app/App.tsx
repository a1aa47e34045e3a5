// The widget UI: launcher + chat window; which screen shows is derived from the core's state.
import { useEffect, useLayoutEffect, useReducer, useRef } from 'preact/hooks';
import type { Core, WidgetState } from '../core/widget-core';
import type { Strings } from './i18n';
import { Launcher } from './components/Launcher';
import { PreChat } from './screens/PreChat';
import { Chat } from './screens/Chat';

/** The form shows only at the start of a guest's first conversation, when the site wants it. */
export function needsForm(s: WidgetState): boolean {
  const form = s.config?.form;
  const type = s.contact?.type || s.storedType || 'guest';
  return !!form?.enabled && form.fields.length > 0 && type === 'guest' && !s.identifying
    && !s.messages.length && !s.pending.length;
}

export function App({ core, strings }: { core: Core; strings: Strings }) {
  const [, rerender] = useReducer((n: number, _: number) => n + 1, 0);
  useEffect(() => { const off = core.subscribe(() => rerender(0)); return () => { off(); }; }, [core]);
  const launcher = useRef<HTMLButtonElement>(null);
  const s = core.getState();
  const wasOpen = useRef(s.open);
  // A layout effect, so focus moves in the same commit that removes the dialog: with a plain effect
  // focus sat on <body> for a frame (screen readers announce that; CI caught the gap once).
  useLayoutEffect(() => {
    if (wasOpen.current && !s.open) launcher.current?.focus(); // focus returns to the launcher on close
    wasOpen.current = s.open;
  }, [s.open]);

  const left = s.config?.position === 'left';
  const title = s.config?.greeting || strings.chatTitle;
  let body;
  if (!s.config && !s.configFailed && !s.contact) body = <p class="body hint">{strings.loading}</p>;
  else if (needsForm(s)) {
    body = (
      <div class="body">
        <PreChat fields={s.config!.form!.fields} emailOrPhone={!!s.config!.form!.emailOrPhone} strings={strings}
          serverError={s.formError} onSubmit={(fields) => core.submitLead(fields)} />
      </div>
    );
  } else {
    body = <Chat messages={s.messages} pending={s.pending} strings={strings} onSend={core.send} onRetry={(id) => core.retry(id)} />;
  }
  return (
    <div class={'root' + (left ? ' left' : '')} onKeyDown={(e) => { if (e.key === 'Escape' && s.open) core.close(); }}>
      {s.open && (
        <section class="window" role="dialog" aria-label={title}>
          <header class="header">
            <h2>{title}</h2>
            <button type="button" class="x" aria-label={strings.closeChat} onClick={core.close}>×</button>
          </header>
          {body}
        </section>
      )}
      <Launcher open={s.open} unread={s.unread} strings={strings} buttonRef={launcher}
        onClick={() => (s.open ? core.close() : core.open())} />
    </div>
  );
}
