// What a page's first synchronous storage read costs at 4× CPU (issue 10: why widget.js asks the Cookie Store API
// for its returning-visitor marker): in a fresh context per load, after load, in a task of its own, the wall time
// of the page's first `document.cookie` read, a second one, the first `localStorage.getItem`, and `new URL()` (a
// read that asks the browser nothing) as the reference. Loopback page, no chat server.
//   npx tsx tests/bench/first-reads.ts [--n=15]
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './lib/page-run';
import { median, percentile } from './lib/stats';

const n = Number(process.argv.find((a) => a.startsWith('--n='))?.slice(4) ?? 15);
const page = (body: string) => `<!doctype html><p>hi</p><script>addEventListener('load',()=>setTimeout(()=>{${body}}))</script>`;
const timed = (before: string, what: string) => page(`${before};const t0=performance.now();${what};window.__r=performance.now()-t0`);
const pages: Record<string, string> = {
  'first document.cookie read': timed('', 'document.cookie'),
  'second document.cookie read': timed('document.cookie', 'document.cookie'),
  'first localStorage.getItem': timed('', "try{localStorage.getItem('x')}catch{}"),
  'new URL() (asks the browser nothing)': timed('', "new URL('http://a.example/b')"),
};
const paths = Object.keys(pages);
const srv = createServer((q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end(pages[paths[Number(q.url!.slice(1))]] ?? ''));
await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
const port = (srv.address() as { port: number }).port;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const load0 = loadavg()[0];
const res: number[][] = paths.map(() => []);
try {
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < paths.length; p++) {
      const ctx = await browser.newContext();
      try {
        const pg = await ctx.newPage();
        const cdp = await ctx.newCDPSession(pg);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
        await pg.goto(`http://localhost:${port}/${p}`);
        await pg.waitForFunction(() => (window as unknown as { __r?: number }).__r !== undefined);
        res[p].push(await pg.evaluate(() => (window as unknown as { __r: number }).__r));
      } finally {
        await ctx.close();
      }
    }
  }
} finally {
  await browser.close();
  srv.close();
}
console.log(`${n} fresh pages each, 4× CPU, load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}`);
console.log('| read | median (ms) | p25–p75 | min–max |\n|---|---:|---:|---:|');
paths.forEach((k, p) => {
  const v = res[p];
  console.log(`| ${k} | ${median(v).toFixed(2)} | ${percentile(v, 0.25).toFixed(1)}–${percentile(v, 0.75).toFixed(1)} | ${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)} |`);
});
