// A raw node:http SSE client for the widget stream: Bearer token, Last-Event-ID resume, and reconnects
// with the widget's own backoff + jitter function. Cheap enough to run 100 of them.
import { request, type ClientRequest } from 'node:http';
import { backoffDelay } from '../../../../widget/src/client/backoff.js';

export type SseClient = {
  /** seq -> times received (author agent or visitor). */
  received: Map<number, number>;
  /** Start times of every connection attempt, whether it was accepted, and the backoff delay chosen before it (0 for the first). */
  attempts: { at: number; ok: boolean; delay: number }[];
  lastSeq: number;
  connected: boolean;
  stop(): void;
};

export function startSseClient(opts: { url: () => string; token: string; base?: number; max?: number }): SseClient {
  let stopped = false;
  let req: ClientRequest | null = null;
  let attempt = 0;
  const c: SseClient = {
    received: new Map(),
    attempts: [],
    lastSeq: 0,
    connected: false,
    stop() {
      stopped = true;
      req?.destroy();
    },
  };
  const retry = () => {
    c.connected = false;
    if (stopped) return;
    const delay = backoffDelay(attempt++, opts.base ?? 100, opts.max ?? 2000);
    setTimeout(() => connect(delay), delay);
  };
  function connect(delay = 0) {
    if (stopped) return;
    const rec = { at: Date.now(), ok: false, delay };
    c.attempts.push(rec);
    let done = false;
    const once = () => {
      if (!done) {
        done = true;
        retry();
      }
    };
    req = request(opts.url() + '/v1/stream', { headers: { authorization: `Bearer ${opts.token}`, 'last-event-id': String(c.lastSeq), accept: 'text/event-stream' }, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        res.on('end', once);
        return;
      }
      rec.ok = true;
      c.connected = true;
      attempt = 0;
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let id: string | null = null;
          let event = 'message';
          for (const line of frame.split('\n')) {
            if (line.startsWith('id:')) id = line.slice(3).trim();
            else if (line.startsWith('event:')) event = line.slice(6).trim();
          }
          if (event === 'message' && id) {
            const seq = Number(id);
            c.received.set(seq, (c.received.get(seq) ?? 0) + 1);
            c.lastSeq = Math.max(c.lastSeq, seq);
          }
        }
      });
      res.on('end', once);
      res.on('error', once);
      res.on('close', once);
    });
    req.on('error', once);
    req.end();
  }
  connect();
  return c;
}
