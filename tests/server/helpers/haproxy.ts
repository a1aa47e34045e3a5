// Debian's haproxy in front of test instances, as docs/DEPLOY.md configures it (one child process, its pid kept;
// never a packaged service). `haproxyBin` is null when haproxy is not installed (.ci/run installs it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const haproxyBin = ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy'].find((p) => existsSync(p) && spawnSync(p, ['-v']).status === 0) ?? null;

const freePort = () =>
  new Promise<number>((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

/** The config of docs/DEPLOY.md with test ports (keep the two in step). */
export function haproxyConfig(port: number, statsPort: number, backends: { name: string; port: number }[], opts: HaproxyOptions = {}): string {
  return `global
    maxconn ${opts.maxconn ?? 4000}
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch
    option forwardfor
${opts.noDelay === false ? '' : '    option http-no-delay\n'}frontend chative
    bind 127.0.0.1:${port}
    default_backend app
frontend stats
    bind 127.0.0.1:${statsPort}
    stats enable
    stats uri /stats
backend app
    balance leastconn
    option httpchk GET /health
${backends.map((b) => `    server ${b.name} 127.0.0.1:${b.port} check ${opts.deployChecks ? 'inter 1s fall 2 rise 2' : 'inter 300ms fall 2 rise 1'}`).join('\n')}
`;
}

/**
 * `noDelay: false` leaves out option http-no-delay (to show what it costs); `maxconn`: the bench holds 5,000 streams;
 * `deployChecks`: DEPLOY.md's health checks (1 s, which is also their timeout) instead of the tests' quick 300 ms ones,
 * which a loaded 2-core machine fails while thousands of streams open (both instances DOWN: haproxy answers 503).
 */
export type HaproxyOptions = { noDelay?: boolean; maxconn?: number; deployChecks?: boolean };

export type Haproxy = { url: string; output(): string; up(): Promise<string[]>; waitUp(names: string[], timeoutMs?: number): Promise<void>; stop(): Promise<void> };

export async function startHaproxy(backends: { name: string; port: number }[], opts: HaproxyOptions = {}): Promise<Haproxy> {
  if (!haproxyBin) throw new Error('haproxy is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'chative-haproxy-'));
  const port = await freePort();
  const statsPort = await freePort();
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, haproxyConfig(port, statsPort, backends, opts));
  const child = spawn(haproxyBin, ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  const up = async () => {
    const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
    return csv.split('\n').map((l) => l.split(',')).filter((f) => f[0] === 'app' && f[1] !== 'BACKEND' && f[17]?.startsWith('UP')).map((f) => f[1]);
  };
  const h: Haproxy = {
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    up,
    async waitUp(names, timeoutMs = 10_000) {
      const t0 = Date.now();
      for (;;) {
        if (child.exitCode !== null) throw new Error(`haproxy exited: ${out}`);
        const now = await up().catch(() => [] as string[]);
        if (names.every((n) => now.includes(n)) && now.length === names.length) return;
        if (Date.now() - t0 > timeoutMs) throw new Error(`haproxy backends up: ${now.join(', ')}; wanted ${names.join(', ')}\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
