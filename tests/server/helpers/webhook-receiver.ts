// A real webhook receiver on 127.0.0.1: records every POST, answers 204 (up), 503 (down) or nothing (hang);
// tests wait on its signal (`until`), never on time.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { headers: IncomingHttpHeaders; body: string; answered: number | null };

export async function startReceiver(port = 0) {
  const received: Received[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const hanging: ServerResponse[] = [];
  let mode: 'up' | 'down' | 'hang' = 'up';
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const answered = mode === 'up' ? 204 : mode === 'down' ? 503 : null;
      received.push({ headers: req.headers, body, answered });
      if (answered === null) hanging.push(res);
      else res.writeHead(answered).end();
      for (const w of [...waiters]) if (w.test()) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    port: (server.address() as AddressInfo).port,
    received,
    /** Distinct webhook-ids answered 2xx. */
    deliveredIds: () => new Set(received.filter((r) => r.answered === 204).map((r) => String(r.headers['webhook-id']))),
    set(m: 'up' | 'down' | 'hang') {
      mode = m;
    },
    /** Resolves once `test` holds (checked now and after every request). */
    until(test: () => boolean): Promise<void> {
      if (test()) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
    close: () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
