// Issue 15, Medium 7 and the start-up Lows, against the real process on loopback: slow headers and endless
// chunked bodies are cut, open connections are capped with a 503 well before the open-file limit, and a
// start that cannot work says why in one line. Every loop is bounded and stops by itself.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/spawn-server.js';

/** Sends `lines` one every `everyMs` until the server closes the socket or the lines run out; answers when it closed and what it said. */
async function trickle(port: number, head: string, lines: string[], everyMs: number): Promise<{ closedAfterMs: number | null; answer: string }> {
  const s = connect(port, '127.0.0.1');
  let answer = '';
  let closed = false;
  const t0 = Date.now();
  let closedAt = 0;
  s.on('data', (b) => (answer += b.toString()));
  s.on('error', () => undefined);
  s.on('close', () => {
    closed = true;
    closedAt = Date.now();
  });
  await new Promise<void>((r) => s.once('connect', () => r()));
  s.write(head);
  for (const line of lines) {
    if (closed) break;
    await new Promise((r) => setTimeout(r, everyMs));
    if (!closed) s.write(line);
  }
  const result = { closedAfterMs: closed ? closedAt - t0 : null, answer };
  s.destroy();
  return result;
}

describe('slow clients are cut', () => {
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await startServer({ env: { CHATIVE_RATE_LIMIT: '0', CHATIVE_HEADERS_TIMEOUT_MS: '1000', CHATIVE_REQUEST_TIMEOUT_MS: '2000' } });
  });
  afterAll(() => srv?.stop());

  it('headers sent one line at a time (slowloris) are cut after the headers timeout', async () => {
    // 40 lines × 250 ms = 10 s if nothing cuts it; the server must close within ~1–3 s
    const lines = Array.from({ length: 40 }, (_, i) => `X-Slow-${i}: ${'a'.repeat(10)}\r\n`);
    const r = await trickle(srv.port, 'GET /v1/sites/default/config HTTP/1.1\r\nHost: x\r\n', lines, 250);
    console.log(`[security 15] slowloris: closed after ${r.closedAfterMs} ms, answered ${JSON.stringify(r.answer.split('\r\n')[0])}`);
    expect(r.closedAfterMs).not.toBeNull();
    expect(r.closedAfterMs!).toBeLessThan(8_000);
  });

  it('a socket that connects and never sends a byte is closed after the headers timeout', async () => {
    const r = await trickle(srv.port, '', Array.from({ length: 40 }, () => ''), 250);
    console.log(`[security 15] silent socket: closed after ${r.closedAfterMs} ms`);
    expect(r.closedAfterMs).not.toBeNull();
    expect(r.closedAfterMs!).toBeLessThan(8_000);
  });

  it('a chunked body that never ends is cut after the request timeout', async () => {
    const token = (await (await fetch(srv.url + '/v1/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"siteId":"default"}' })).json()).token;
    const head = `POST /v1/sync HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n`;
    const lines = Array.from({ length: 40 }, () => '1\r\n \r\n');
    const r = await trickle(srv.port, head, lines, 250);
    console.log(`[security 15] endless chunked body: closed after ${r.closedAfterMs} ms, answered ${JSON.stringify(r.answer.split('\r\n')[0])}`);
    expect(r.closedAfterMs).not.toBeNull();
    expect(r.closedAfterMs!).toBeLessThan(8_000);
    // the server is still fine
    expect((await fetch(srv.url + '/v1/sites/default/config')).status).toBe(200);
  });
});

describe('open connections are capped', () => {
  it('past 90 % of CHATIVE_MAX_CONNECTIONS requests get 503 + Retry-After; past 100 % sockets are refused; then it recovers', async () => {
    const srv = await startServer({ env: { CHATIVE_RATE_LIMIT: '0', CHATIVE_MAX_CONNECTIONS: '40' } });
    const sockets: Socket[] = [];
    try {
      const open = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const s = connect(srv.port, '127.0.0.1');
          s.on('error', () => undefined);
          sockets.push(s);
          await new Promise<void>((r) => (s.once('connect', () => r()), s.once('close', () => r())));
        }
      };
      await open(36);
      // the 37th connection is at >= 90 %: a quick 503 that closes its socket
      const shed = await fetch(srv.url + '/v1/sites/default/config');
      const body = await shed.json();
      expect(shed.status).toBe(503);
      expect(body.error.code).toBe('overloaded');
      expect(Number(shed.headers.get('retry-after'))).toBeGreaterThan(0);
      // past the hard cap the server closes new sockets at once instead of running out of descriptors
      const before = sockets.length;
      await open(10);
      const extra = sockets.slice(before);
      await Promise.all(extra.map((s) => (s.destroyed ? null : new Promise<void>((r) => (s.once('close', () => r()), setTimeout(r, 3000))))));
      const refused = extra.filter((s) => s.destroyed || s.readyState === 'closed').length;
      expect(refused).toBeGreaterThan(0);
      // release them all: the server answers again (bounded poll)
      sockets.splice(0).forEach((s) => s.destroy());
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = await fetch(srv.url + '/v1/sites/default/config').then((r) => r.status, () => 0);
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
      expect(srv.process.exitCode).toBeNull();
      console.log(`[security 15] connection cap 40: 36 idle sockets -> 503 overloaded with Retry-After; ${refused}/10 sockets past the cap closed at once; recovered with 200`);
    } finally {
      sockets.forEach((s) => s.destroy());
      await srv.stop();
    }
  });
});

/** One HTTP request from a chosen loopback source address (127.0.0.x are all this machine on Linux). */
function from(localAddress: string, port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: IncomingMessage['headers']; res: IncomingMessage; req: ClientRequest; text(): Promise<string> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, res, req, text: () => new Promise((r) => { let t = ''; res.on('data', (b) => (t += b)); res.on('end', () => r(t)); }) }));
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('per-IP caps on the real process', () => {
  it('streams per IP and per token, agent streams and wrong agent tokens are capped per source address; other addresses are unaffected', async () => {
    // multiplier 0.05: 10 streams per IP, 1 per token, 1 agent stream per IP, 1 wrong agent token per IP
    const srv = await startServer({ env: { CHATIVE_RATE_LIMIT: '0.05' } });
    const open: ClientRequest[] = [];
    try {
      const tokens: string[] = [];
      for (let i = 0; i < 11; i++) {
        const r = await from(`127.0.1.${i + 1}`, srv.port, '/v1/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"siteId":"default"}' });
        tokens.push(JSON.parse(await r.text()).token);
      }
      const stream = async (ip: string, token: string, path = '/v1/stream') => {
        const r = await from(ip, srv.port, path, { headers: { authorization: `Bearer ${token}` } });
        if (r.status === 200) open.push(r.req);
        else await r.text();
        return r;
      };
      for (let i = 0; i < 10; i++) expect((await stream('127.0.0.2', tokens[i])).status, `stream ${i}`).toBe(200);
      const over = await stream('127.0.0.2', tokens[10]);
      expect(over.status).toBe(429);
      expect(over.headers['retry-after']).toBeTruthy();
      expect((await stream('127.0.0.3', tokens[10])).status).toBe(200);
      expect((await stream('127.0.0.4', tokens[0])).status).toBe(429); // that token already streams
      expect((await stream('127.0.0.5', srv.agentToken, '/v1/agent/stream')).status).toBe(200);
      expect((await stream('127.0.0.5', srv.agentToken, '/v1/agent/stream')).status).toBe(429);
      // wrong agent tokens: throttled on 127.0.0.6, the right token from 127.0.0.7 still works
      const wrong = () => from('127.0.0.6', srv.port, '/v1/contacts', { headers: { authorization: 'Bearer ' + 'w'.repeat(43) } }).then(async (r) => (await r.text(), r.status));
      const statuses = [await wrong(), await wrong(), await wrong()];
      expect(statuses[0]).toBe(401);
      expect(statuses.slice(1)).toEqual([429, 429]);
      const right = await from('127.0.0.7', srv.port, '/v1/contacts', { headers: { authorization: `Bearer ${srv.agentToken}` } });
      await right.text();
      expect(right.status).toBe(200);
      console.log(`[security 15] real process, per source address: 10 streams then 429; another address 200; 1 agent stream then 429; wrong agent tokens ${JSON.stringify(statuses)}, right token elsewhere 200`);
    } finally {
      open.forEach((r) => r.destroy());
      await srv.stop();
    }
  });
});

describe('a start that cannot work says why in one line', () => {
  const startFails = async (env: Record<string, string>, dataDir?: string) => {
    const err = await startServer({ env, dataDir, timeoutMs: 20_000 }).then(() => null, (e: Error) => e.message);
    expect(err).toMatch(/server exited \(1\) before listening/);
    const out = err!.split('\n').slice(1).filter((l) => l.trim());
    return out;
  };

  it('a DATA_DIR that cannot be written, and a weak agent token, are one clear line each, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chative-ro-'));
    try {
      const notADir = join(dir, 'a-file');
      writeFileSync(notADir, 'not a folder');
      const out1 = await startFails({ DATA_DIR: join(notADir, 'data') });
      expect(out1).toHaveLength(1);
      expect(out1[0]).toMatch(/^Chative cannot start: DATA_DIR ".*" cannot be created or written \(ENOTDIR\)/);
      const out2 = await startFails({ CHATIVE_AGENT_TOKEN: 'sixteen-chars-ok' });
      expect(out2).toHaveLength(1);
      expect(out2[0]).toMatch(/CHATIVE_AGENT_TOKEN must be at least 32 characters/);
      const out3 = await startFails({ CHATIVE_AGENT_TOKEN: 'a'.repeat(48) });
      expect(out3[0]).toMatch(/too predictable/);
      for (const l of [...out1, ...out2, ...out3]) expect(l).not.toMatch(/^\s+at /);
      console.log(`[security 15] start refusals: ${JSON.stringify([out1[0], out2[0], out3[0]])}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
