import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosave } from '../../../demo-site/console/src/lib/autosave';

beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => { vi.useRealTimers(); });

function deferredSave() {
  const calls: { text: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const save = (text: string) => new Promise<void>((resolve, reject) => { calls.push({ text, resolve, reject }); });
  return { calls, save };
}

describe('note autosave', () => {
  it('debounces: one save of the latest text ~600 ms after typing stops', async () => {
    const { calls, save } = deferredSave();
    const s = createAutosave(save);
    s.change('H'); s.change('He'); s.change('Hel');
    await vi.advanceTimersByTimeAsync(599);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.text)).toEqual(['Hel']);
  });

  it('never drops text typed while a save is in flight: it is sent right after', async () => {
    const { calls, save } = deferredSave();
    const statuses: string[] = [];
    const s = createAutosave(save, { onStatus: (x) => statuses.push(x) });
    s.change('Called');
    await vi.advanceTimersByTimeAsync(600);
    s.change('Called on Monday'); // typed while "Called" is saving
    await vi.advanceTimersByTimeAsync(600); // debounce fires during the in-flight save
    expect(calls).toHaveLength(1);
    calls[0].resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.text)).toEqual(['Called', 'Called on Monday']);
    expect(statuses.at(-1)).toBe('saving');
    calls[1].resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)).toBe('saved');
    expect(s.isDirty()).toBe(false);
  });

  it('reports an error, keeps the text dirty, and retries on the next flush', async () => {
    const { calls, save } = deferredSave();
    const statuses: string[] = [];
    const s = createAutosave(save, { onStatus: (x) => statuses.push(x) });
    s.change('draft');
    await vi.advanceTimersByTimeAsync(600);
    calls[0].reject(new Error('offline'));
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)).toBe('error');
    expect(s.isDirty()).toBe(true);
    const p = s.flush();
    calls[1].resolve();
    await p;
    expect(calls.map((c) => c.text)).toEqual(['draft', 'draft']);
    expect(statuses.at(-1)).toBe('saved');
  });

  it('does not save text that is already stored', async () => {
    const { calls, save } = deferredSave();
    const s = createAutosave(save);
    s.reset('same');
    s.change('same');
    await vi.advanceTimersByTimeAsync(600);
    expect(calls).toHaveLength(0);
  });
});
