// The documented embed (widget/snippet/embed.min.js): the stub's queue at once, widget.js only after the page's load.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const read = (name: string) => readFileSync(new URL('../../../widget/snippet/' + name, import.meta.url), 'utf8').trim();
const embed = read('embed.min.js');
const stub = read('stub.min.js');

type Inserted = { async?: boolean; src?: string; attrs: Record<string, string> };

/** Runs the snippet on a fake page in readyState `state`; `load()` fires the page's load event. */
function run(state: string) {
  const inserted: Inserted[] = [];
  const listeners: Record<string, () => void> = {};
  const document = {
    readyState: state,
    head: { appendChild: (e: Inserted) => inserted.push(e) },
    createElement: (tag: string) => {
      expect(tag).toBe('script');
      const e: Inserted & { setAttribute(k: string, v: string): void } = { attrs: {}, setAttribute(k, v) { this.attrs[k] = v; } };
      return e;
    },
  };
  const window: { Chative?: Record<string, (...a: unknown[]) => Promise<unknown>> & { q: unknown[][] }; addEventListener(t: string, f: () => void): void } = {
    addEventListener: (t, f) => { listeners[t] = f; },
  };
  const timers: (() => void)[] = [];
  vm.runInNewContext(embed, { window, document, Promise, setTimeout: (f: () => void) => timers.push(f) });
  return { window, inserted, load: () => listeners.load?.(), runTimers: () => timers.splice(0).forEach((f) => f()) };
}

describe('the documented embed snippet', () => {
  it('is the stub plus a few lines: the same queue, within 600 bytes', () => {
    const queue = stub.slice('!function(w){'.length, -'}(window);'.length); // the stub's body
    expect(embed).toContain(queue);
    expect(Buffer.byteLength(embed)).toBeLessThanOrEqual(600);
  });

  it('queues early calls at once and inserts widget.js (async, with data-site) after load, in a task of its own', () => {
    const page = run('loading');
    const early = page.window.Chative!.identify('u-1', { userHash: 'x' });
    expect(early).toBeInstanceOf(Promise);
    expect(page.window.Chative!.q.map((c) => c[0])).toEqual(['identify']);
    expect(page.inserted).toEqual([]);
    page.load();
    expect(page.inserted).toEqual([]); // not inside the load event's task (often the page's layout too)
    page.runTimers();
    expect(page.inserted).toHaveLength(1);
    expect(page.inserted[0]).toMatchObject({ async: true, src: 'https://chat.example.com/widget.js', attrs: { 'data-site': 'default' } });
  });

  it('inserts widget.js at once on a page whose load has already fired', () => {
    const page = run('complete');
    expect(page.inserted).toHaveLength(1);
  });
});
