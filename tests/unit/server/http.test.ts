// Rate-limit buckets, origin matching and the group commit, without a server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { originMatches } from '../../../server-stub/src/http/cors.js';
import { HttpError } from '../../../server-stub/src/http/http-error.js';
import { createRateLimiter } from '../../../server-stub/src/http/rate-limit.js';
import { createGroupCommit } from '../../../server-stub/src/services/group-commit.js';
import { createSqliteStore } from '../../../server-stub/src/storage/sqlite-store.js';

describe('rate limiter', () => {
  it('allows the burst, refuses the next with Retry-After, refills over time', () => {
    let now = 0;
    const rl = createRateLimiter(1, () => now);
    for (let i = 0; i < 60; i++) rl.take('syncPerToken', 't1');
    let err: unknown;
    try {
      rl.take('syncPerToken', 't1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(429);
    expect((err as HttpError).headers?.['retry-after']).toBe('1');
    rl.take('syncPerToken', 't2'); // another token has its own bucket
    now += 1000; // 20 tokens back
    for (let i = 0; i < 20; i++) rl.take('syncPerToken', 't1');
    expect(() => rl.take('syncPerToken', 't1')).toThrow(HttpError);
    rl.stop();
  });
  it('the multiplier scales limits; 0 turns them off', () => {
    const off = createRateLimiter(0, () => 0);
    for (let i = 0; i < 1000; i++) off.take('sessionsPerIp', 'ip');
    const low = createRateLimiter(0.1, () => 0);
    for (let i = 0; i < 3; i++) low.take('sessionsPerIp', 'ip');
    expect(() => low.take('sessionsPerIp', 'ip')).toThrow(HttpError);
    off.stop();
    low.stop();
  });
});

describe('origin matching', () => {
  const allowed = ['https://shop.example', 'http://localhost:*'];
  it.each([
    ['https://shop.example', true],
    ['http://localhost:5173', true],
    ['http://localhost', true],
    ['https://shop.example:443', false],
    ['http://shop.example', false],
    ['https://shop.example.evil.com', false],
    ['http://localhost.evil.com', false],
    ['http://localhost:5173.evil.com', false],
    ['http://localhost:abc', false],
    ['null', false],
  ])('%s -> %s', (origin, ok) => expect(originMatches(origin, allowed)).toBe(ok));
});

describe('group commit', () => {
  it('runs jobs in order in one commit; a failing job is refused alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chative-gc-'));
    const store = createSqliteStore(join(dir, 'db.sqlite'));
    const gc = createGroupCommit(store);
    const order: string[] = [];
    const ok = (tag: string) => () => {
      order.push(tag);
      store.transaction(() => store.saveEventResult('s', `id-${tag}`, '{}'));
      return tag;
    };
    const bad = () => {
      store.transaction(() => {
        store.saveEventResult('s', 'id-bad', '{}');
        throw new Error('boom');
      });
    };
    const [a, b, c] = await Promise.allSettled([gc.run([ok('a1'), ok('a2')]), gc.run([bad]), gc.run([ok('c1')])]);
    expect(a).toEqual({ status: 'fulfilled', value: ['a1', 'a2'] });
    expect(b.status).toBe('rejected');
    expect(c).toEqual({ status: 'fulfilled', value: ['c1'] });
    expect(order).toEqual(['a1', 'a2', 'c1']);
    expect(store.getEventResult('s', 'id-a2')).toBe('{}');
    expect(store.getEventResult('s', 'id-bad')).toBeUndefined();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
