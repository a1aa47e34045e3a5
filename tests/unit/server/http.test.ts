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
import type { Tx } from '../../../server-stub/src/storage/store.js';

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

describe('work budgets and stream holds (issue 15)', () => {
  it('take(cost) charges the cost; a cost above the burst waits for a full bucket instead of never passing', () => {
    let now = 0;
    const rl = createRateLimiter(1, () => now);
    rl.take('syncEventsPerToken', 't', 150);
    expect(() => rl.take('syncEventsPerToken', 't', 100)).toThrow(HttpError);
    rl.take('syncEventsPerToken', 't', 50);
    now += 10_000; // refilled to the 200 burst
    rl.take('syncEventsPerToken', 't', 10_000); // capped at the burst: passes on a full bucket
    let err: HttpError | undefined;
    try { rl.take('syncEventsPerToken', 't', 1); } catch (e) { err = e as HttpError; }
    expect(err?.status).toBe(429);
    expect(Number(err?.headers?.['retry-after'])).toBeGreaterThan(0);
    rl.stop();
  });
  it('check() refuses an empty bucket without taking; hold() counts per key and releases once', () => {
    const rl = createRateLimiter(1, () => 0);
    for (let i = 0; i < 10; i++) { rl.check('agentFailuresPerIp', 'ip'); rl.take('agentFailuresPerIp', 'ip'); }
    expect(() => rl.check('agentFailuresPerIp', 'ip')).toThrow(HttpError);
    const releases = Array.from({ length: 5 }, () => rl.hold([['streamsPerToken', 't1'], ['streamsPerIp', 'ip']]));
    expect(() => rl.hold([['streamsPerToken', 't1']])).toThrow(/too many|at most 5/);
    releases[0]();
    releases[0](); // a second release of the same hold frees nothing more
    const again = rl.hold([['streamsPerToken', 't1']]);
    expect(() => rl.hold([['streamsPerToken', 't1']])).toThrow(HttpError);
    again();
    const off = createRateLimiter(0, () => 0);
    for (let i = 0; i < 100; i++) off.hold([['streamsPerToken', 't']]);
    rl.stop();
    off.stop();
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
    const ok = (tag: string) => async (tx: Tx) => {
      order.push(tag);
      await tx.savepoint((sp) => sp.saveEventResult('s', `id-${tag}`, '{}'));
      return tag;
    };
    const bad = async (tx: Tx) => {
      await tx.savepoint(async (sp) => {
        await sp.saveEventResult('s', 'id-bad', '{}');
        throw new Error('boom');
      });
    };
    const [a, b, c] = await Promise.allSettled([gc.run([ok('a1'), ok('a2')]), gc.run([bad]), gc.run([ok('c1')])]);
    expect(a).toEqual({ status: 'fulfilled', value: ['a1', 'a2'] });
    expect(b.status).toBe('rejected');
    expect(c).toEqual({ status: 'fulfilled', value: ['c1'] });
    expect(order).toEqual(['a1', 'a2', 'c1']);
    expect(await store.read((r) => r.getEventResult('s', 'id-a2'))).toBe('{}');
    expect(await store.read((r) => r.getEventResult('s', 'id-bad'))).toBeUndefined();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
