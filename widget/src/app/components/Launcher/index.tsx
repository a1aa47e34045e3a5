// The round button that opens the chat; its accessible name is public (CONTRACT §3).
import type { Ref } from 'preact';
import type { Strings } from '../../i18n';

export function Launcher(props: { open: boolean; unread: number; strings: Strings; onClick: () => void; buttonRef: Ref<HTMLButtonElement> }) {
  const { strings, unread } = props;
  return (
    <button type="button" class="launcher" ref={props.buttonRef} aria-label={props.open ? strings.closeChat : strings.openChat}
      aria-expanded={props.open} onClick={props.onClick}>
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" /></svg>
      {unread > 0 && <span class="badge" aria-hidden="true">{unread > 99 ? '99+' : unread}</span>}
      {unread > 0 && <span class="sr">{strings.unread(unread)}</span>}
    </button>
  );
}
