// The window's module (dist/widget/widget/app-<hash>.js), fetched by the loader on intent: the core
// (session, outbox, stream), the host API, the Preact window, the form and the visitor's language.
// Making it does no request and no storage write: the session starts at the first interaction.
import { createClient } from '../client/http';
import { createBus } from '../client/bus';
import { createKv } from '../storage/kv';
import { createCore } from '../core/widget-core';
import { readTimezone } from '../core/timezone';
import { createApi } from '../commands/api';
import { installApi } from '../commands/queue';
import { loadStrings, pickLang } from './i18n';
import { connectWindow } from './mount';
import { countInTitle } from './title';
import { chimeOnReplies } from './sound';
import type { AppHandle, Handoff } from '../loader/handoff';

export async function start(h: Handoff): Promise<AppHandle> {
  const { lang, strings, launcher } = await loadStrings(pickLang());
  // The launcher and shell speak the window's language from now on (the loader's was the browser's, by Accept-Language).
  h.ui.setWords(launcher && lang + '|' + launcher);
  const core = createCore({
    client: createClient(h.origin, h.siteId),
    kv: createKv(),
    bus: createBus(h.siteId),
    siteId: h.siteId,
    consent: h.consent,
    timezone: readTimezone,
    locale: lang,
    config: h.config,
  });
  installApi(h.chative, createApi(core)); // replays the queue in order
  connectWindow(h.ui, core, strings);
  countInTitle(core.on);
  chimeOnReplies(core);
  // No config came with widget.js: read it here (no session), so a refusal reaches the host's `error` listeners.
  if (!h.consent && !h.config) void core.refreshConfig();
  return {
    open: () => core.open(),
    close: () => core.close(),
    toggle: () => (core.getState().open ? core.close() : core.open()),
    resume: () => { void core.resumeIfChatted(); },
  };
}
