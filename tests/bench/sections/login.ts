// Sign-in timing (issue 11): POST /v1/auth/login for an unknown email and for a known email with a wrong password,
// alternating, one at a time, on the real server. Both must cost the same (one scrypt each): the paired
// difference of medians should sit inside the noise band. Not part of `npm test`; `npm run bench -- --only=login`.
import { performance } from 'node:perf_hooks';
import { median, pairedDifference, percentile, round } from '../lib/stats';
import { BENCH_ENV, type StartServer } from '../lib/server';
import type { BenchContext, SectionResult } from '../lib/section';

const S = 'Login';
const EMAIL = 'owner@bench.example';

async function timedLogin(url: string, email: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'not the password at all' }) });
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 401) throw new Error(`login answered ${res.status}, expected 401`);
  return ms;
}

export async function runLogin(ctx: BenchContext, start: StartServer | null): Promise<SectionResult> {
  if (!start) return { figures: [{ section: S, name: 'unknown email − wrong password (median)', value: null, unit: 'ms', note: 'server not available in this run' }] };
  // the rate limiter is lifted (BENCH_ENV): 2 × 240 failures from one address would otherwise be 429s
  const server = await start({ env: { ...BENCH_ENV, CHATIVE_OWNER_EMAIL: EMAIL, CHATIVE_OWNER_PASSWORD: 'the real owner password' } });
  try {
    const pairs = ctx.quick ? 30 : 240;
    for (let i = 0; i < 5; i++) await timedLogin(server.url, i % 2 ? EMAIL : `warm${i}@bench.example`); // warm-up, not counted
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < pairs; i++) {
      // alternate which goes first, so a drift in the machine's load hits both the same
      if (i % 2) {
        wrong.push(await timedLogin(server.url, EMAIL));
        unknown.push(await timedLogin(server.url, `nobody${i}@bench.example`));
      } else {
        unknown.push(await timedLogin(server.url, `nobody${i}@bench.example`));
        wrong.push(await timedLogin(server.url, EMAIL));
      }
    }
    const d = pairedDifference(wrong, unknown);
    const spread = (xs: number[]) => `p25–p75 ${round(percentile(xs, 0.25))}…${round(percentile(xs, 0.75))} ms`;
    ctx.log(`login: unknown ${round(median(unknown))} ms (${spread(unknown)}), wrong password ${round(median(wrong))} ms (${spread(wrong)}), paired difference p25–p75 ${round(d.p25)}…${round(d.p75)}`);
    return {
      figures: [
        { section: S, name: `unknown email, median of ${pairs}`, value: round(median(unknown)), unit: 'ms', note: spread(unknown) },
        { section: S, name: `wrong password, median of ${pairs}`, value: round(median(wrong)), unit: 'ms', note: spread(wrong) },
        {
          section: S, name: 'unknown email − wrong password (medians)', value: round(d.added, 2), unit: 'ms',
          note: `pairwise differences p25–p75 ${round(d.p25, 2)}…${round(d.p75, 2)} ms: equal within the noise when the band spans 0`,
        },
      ],
      notes: [`Login timing: ${pairs} alternating pairs, one request at a time, scrypt N=2^15 r=8 p=1 on both paths (an unknown email is checked against a dummy hash).`],
    };
  } finally {
    await server.stop();
  }
}
