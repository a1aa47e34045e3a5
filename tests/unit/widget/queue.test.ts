// The stub's queue: calls made before the bundle resolve with real results, in order.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { installApi, type ChativeGlobal } from '../../../widget/src/commands/queue';
import { createApi, type Api } from '../../../widget/src/commands/api';
import type { Core } from '../../../widget/src/core/widget-core';

const stub = readFileSync(new URL('../../../widget/snippet/stub.min.js', import.meta.url), 'utf8');

function stubWindow() {
  const window: { Chative?: ChativeGlobal } = {};
  vm.runInNewContext(stub, { window, Promise });
  return window;
}

function fakeCore(log: string[]): Core {
  return {
    identify: async (a: { customerId: string }) => { log.push('identify:' + a.customerId); return { id: 'c1', type: 'customer' }; },
    update: async (a: { name?: string }) => { log.push('update:' + a.name); return { id: 'c1', type: 'lead' }; },
    open: () => log.push('open'),
    close: () => log.push('close'),
    getState: () => ({ open: false }),
    on: () => log.push('on'),
    off: () => log.push('off'),
    getContact: async () => ({ id: 'c1', type: 'guest' }),
    reset: async () => { log.push('reset'); },
  } as unknown as Core;
}

describe('stub + queue', () => {
  it('the stub, the handler map and the shipped .d.ts name the same methods', () => {
    const dts = readFileSync(new URL('../../../widget/types/chative.d.ts', import.meta.url), 'utf8');
    const body = dts.slice(dts.indexOf('export interface Chative {'));
    const declared = [...body.matchAll(/^  (\w+)(?:<[^>]*>)?\(/gm)].map((m) => m[1]).sort();
    const stubbed = /"([a-zA-Z ]+)"\.split/.exec(stub)![1].split(' ').sort();
    expect(Object.keys(createApi(fakeCore([]))).sort()).toEqual(stubbed);
    expect(declared).toEqual(stubbed);
  });

  it('the minified stub stays within 600 bytes and defines every method', () => {
    expect(Buffer.byteLength(stub)).toBeLessThanOrEqual(600);
    const w = stubWindow();
    for (const m of ['identify', 'update', 'open', 'close', 'toggle', 'on', 'off', 'getContact', 'reset']) {
      expect(typeof (w.Chative as Record<string, unknown>)[m]).toBe('function');
    }
  });

  it('replays early calls in order and settles each promise with the real result', async () => {
    const w = stubWindow();
    const c = w.Chative as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const p1 = c.update({ name: 'Ann' });
    const p2 = c.identify('u-1', { userHash: 'a'.repeat(64) });
    const p3 = c.getContact();
    const p4 = c.open();
    const log: string[] = [];
    installApi(w.Chative!, createApi(fakeCore(log)));
    await expect(p1).resolves.toEqual({ id: 'c1', type: 'lead' });
    await expect(p2).resolves.toEqual({ id: 'c1', type: 'customer' });
    await expect(p3).resolves.toEqual({ id: 'c1', type: 'guest' });
    await expect(p4).resolves.toBeUndefined();
    expect(log).toEqual(['update:Ann', 'identify:u-1', 'open']);
  });

  it('bad arguments and unknown methods reject with a code, never throw', async () => {
    const w = stubWindow();
    const c = w.Chative as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const early = c.identify(42);
    (w.Chative!.q as unknown[]).push(['nope', [], () => undefined, () => undefined]);
    installApi(w.Chative!, createApi(fakeCore([])));
    await expect(early).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(c.update({ name: 5 })).rejects.toMatchObject({ code: 'invalid_argument', message: /name must be a string/ });
    await expect(c.update({ colour: 'red' })).rejects.toMatchObject({ message: /unknown option "colour"/ });
    await expect(c.on('bogus', () => 1)).rejects.toMatchObject({ code: 'invalid_argument' });
    const late = new Promise((resolve, reject) => (w.Chative!.q as { push: (x: unknown) => void }).push(['nope', [], resolve, reject]));
    await expect(late).rejects.toMatchObject({ code: 'unknown_method' });
  });

  it('after install, calls are direct and tag-manager pushes still run', async () => {
    const w = stubWindow();
    const log: string[] = [];
    installApi(w.Chative!, createApi(fakeCore(log)));
    const api = w.Chative as unknown as Api;
    await api.toggle();
    const pushed = new Promise((resolve, reject) => (w.Chative!.q as { push: (x: unknown) => void }).push(['close', [], resolve, reject]));
    await pushed;
    expect(log).toEqual(['open', 'close']);
  });
});
