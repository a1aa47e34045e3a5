// @vitest-environment happy-dom
// The cheap first paint: the time zone without Intl, early calls queued without the stub, the
// launcher in plain DOM with the chat window's code and stylesheet only on open, a lazy tab bus.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { readTimezone } from '../../../widget/src/core/timezone';
import { installApi, queueEarlyCalls, METHODS, type ChativeGlobal } from '../../../widget/src/commands/queue';
import { createApi } from '../../../widget/src/commands/api';
import { createBus } from '../../../widget/src/client/bus';
import { connectWindow } from '../../../widget/src/app/mount';
import { createUi } from '../../../widget/src/loader/ui';
import { parseWords } from '../../../widget/src/loader/words';
import { launcherCss, shellCss } from '../../../widget/src/loader/styles';
import { windowCss } from '../../../widget/src/app/styles';
import { strings as en } from '../../../widget/src/app/i18n/en';
import type { Core, WidgetState } from '../../../widget/src/core/widget-core';

describe('readTimezone', () => {
  it('asks Temporal first and never touches Intl when it answers', () => {
    const intl = { DateTimeFormat: vi.fn(() => ({ resolvedOptions: () => ({ timeZone: 'Asia/Ho_Chi_Minh' }) })) };
    expect(readTimezone({ Temporal: { Now: { timeZoneId: () => 'Europe/Paris' } }, Intl: intl as never })).toBe('Europe/Paris');
    expect(intl.DateTimeFormat).not.toHaveBeenCalled();
  });
  it('falls back to Intl without Temporal or when it throws; undefined when both fail', () => {
    const intl = { DateTimeFormat: () => ({ resolvedOptions: () => ({ timeZone: 'Asia/Ho_Chi_Minh' }) }) } as never;
    expect(readTimezone({ Intl: intl })).toBe('Asia/Ho_Chi_Minh');
    expect(readTimezone({ Temporal: { Now: { timeZoneId: () => { throw new Error('x'); } } }, Intl: intl })).toBe('Asia/Ho_Chi_Minh');
    expect(readTimezone({ Intl: { DateTimeFormat: () => { throw new Error('no ICU'); } } as never })).toBeUndefined();
  });
});

function fakeCore(initial: Partial<WidgetState> = {}) {
  let state = { open: false, config: null, configFailed: false, contact: null, storedType: null, messages: [], pending: [], unread: 0, identifying: 0, formError: null, ...initial } as WidgetState;
  const subs = new Set<() => void>();
  const set = (p: Partial<WidgetState>) => { state = { ...state, ...p }; subs.forEach((f) => f()); };
  const core = {
    getState: () => state,
    subscribe: (fn: () => void) => { subs.add(fn); return () => subs.delete(fn); },
    open: () => set({ open: true, unread: 0 }),
    close: () => set({ open: false }),
    send: () => undefined, retry: () => undefined, submitLead: async () => undefined,
    identify: async () => ({ id: 'c1', type: 'guest' }), update: async () => ({ id: 'c1', type: 'guest' }),
    on: () => undefined, off: () => undefined, getContact: async () => ({ id: 'c1', type: 'guest' }), reset: async () => undefined,
  };
  return { core: core as unknown as Core, set };
}

describe('queueEarlyCalls', () => {
  it('without the stub, every public method queues and installApi settles it with the real result', async () => {
    const g: ChativeGlobal = {};
    queueEarlyCalls(g);
    for (const m of METHODS) expect(typeof g[m]).toBe('function');
    const opened = (g.open as () => Promise<unknown>)();
    const contact = (g.getContact as () => Promise<unknown>)();
    expect((g.q as unknown[]).length).toBe(2);
    const { core } = fakeCore();
    installApi(g, createApi(core));
    await expect(opened).resolves.toBeUndefined();
    await expect(contact).resolves.toMatchObject({ id: 'c1' });
    expect(core.getState().open).toBe(true);
  });
  it('keeps the stub\'s own methods and queue', () => {
    const stubOpen = () => Promise.resolve('stub');
    const q: unknown[] = [['open', []]];
    const g: ChativeGlobal = { q: q as never, open: stubOpen };
    queueEarlyCalls(g);
    expect(g.open).toBe(stubOpen);
    expect(g.q).toBe(q);
  });
});

describe('mount', () => {
  afterEach(() => { document.body.innerHTML = ''; });

  const sheets = (host: HTMLElement) => {
    const s = host.shadowRoot!;
    return s.adoptedStyleSheets?.length ? s.adoptedStyleSheets.length : s.querySelectorAll('style').length;
  };

  /** What the loader and the window's module do: the launcher first, the core connected later (on the first click). */
  function mountWith(core: Core) {
    let connected = false;
    const ui = createUi(parseWords());
    const connect = () => { if (!connected) { connected = true; connectWindow(ui, core, en); } };
    ui.launcher.el.addEventListener('click', () => {
      if (!connected) { connect(); core.open(); return; }
      if (core.getState().open) core.close(); else core.open();
    });
    return { ui, connect };
  }

  it('the launcher paints before any core exists; a click then connects and opens', () => {
    const { core } = fakeCore();
    const { ui } = mountWith(core);
    const button = ui.host.shadowRoot!.querySelector('button.launcher') as HTMLButtonElement;
    expect(button.getAttribute('aria-label')).toBe('Open chat');
    expect(document.getElementById('chative-root')).toBe(ui.host);
    button.click();
    expect(core.getState().open).toBe(true);
    expect(ui.host.shadowRoot!.querySelector('[role=dialog]')).not.toBeNull();
  });

  it('paints only the launcher; the window and its stylesheet arrive on open; focus returns on close', () => {
    const { core, set } = fakeCore();
    const { ui, connect } = mountWith(core);
    connect();
    const host = ui.host;
    const shadow = host.shadowRoot!;
    const button = shadow.querySelector('button.launcher') as HTMLButtonElement;
    expect(button.getAttribute('aria-label')).toBe('Open chat');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(shadow.querySelector('[role=dialog]')).toBeNull();
    expect(sheets(host)).toBe(1);

    set({ unread: 3 });
    expect(shadow.querySelector('.badge')!.textContent).toBe('3');
    expect(shadow.querySelector('.sr')!.textContent).toBe('3 unread');
    set({ unread: 120 });
    expect(shadow.querySelector('.badge')!.textContent).toBe('99+');

    button.click();
    expect(shadow.querySelector('[role=dialog]')).not.toBeNull();
    expect(button.getAttribute('aria-label')).toBe('Close chat');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(shadow.querySelector('.badge')).toBeNull();
    expect(sheets(host)).toBe(4); // the badge's, the window frame's and the window's own

    shadow.querySelector('.root')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(shadow.querySelector('[role=dialog]')).toBeNull();
    expect(shadow.activeElement).toBe(button);
    button.click();
    expect(sheets(host)).toBe(4); // each sheet is added once
  });

  it('follows the site config: colour (only a safe value) and position', () => {
    const { core, set } = fakeCore();
    const { ui, connect } = mountWith(core);
    connect();
    const host = ui.host;
    set({ config: { siteId: 'default', color: '#ff0000', position: 'left' } });
    expect(host.style.getPropertyValue('--chative-color')).toBe('#ff0000');
    expect(host.shadowRoot!.querySelector('.root')!.className).toBe('root left auto'); // theme auto: the default
    set({ config: { siteId: 'default', color: 'red;background:url(x)' } });
    expect(host.style.getPropertyValue('--chative-color')).toBe('#ff0000');
  });

  it('the launcher sheet holds no chat-window rule', () => {
    expect(launcherCss).toContain('.launcher{');
    expect(launcherCss).not.toContain('.window');
    expect(shellCss).toContain('.window{');
    expect(windowCss).toContain('.composer{');
  });
});

describe('createBus', () => {
  it('makes its BroadcastChannel on open or first post, not at creation', () => {
    const made: string[] = [];
    const Real = globalThis.BroadcastChannel;
    globalThis.BroadcastChannel = class { onmessage = null; constructor(n: string) { made.push(n); } postMessage() {} close() {} } as never;
    try {
      const bus = createBus('s1');
      bus.listen(() => undefined);
      expect(made).toEqual([]);
      bus.open!();
      bus.post({ kind: 'reset' });
      expect(made).toEqual(['chative:s1']);
    } finally {
      globalThis.BroadcastChannel = Real;
    }
  });
});
