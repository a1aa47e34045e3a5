// A small TCP proxy on loopback in front of the real server. In "drop-acks" mode it forwards a
// POST /v1/sync request, lets the server commit and answer, then cuts both sockets instead of
// forwarding the answer: the client never sees an acknowledgement the server already gave.
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type AckProxy = { url: string; dropNext(n: number): void; readonly dropped: number; readonly syncs: number; close(): Promise<void> };

export async function startAckProxy(target: { port: number }): Promise<AckProxy> {
  let budget = 0;
  let dropped = 0;
  let syncs = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target.port, '127.0.0.1');
    sockets.add(client).add(upstream);
    let syncInFlight = false;
    client.on('data', (b) => {
      if (/^POST \/v1\/sync /m.test(b.toString('latin1'))) {
        syncInFlight = true;
        syncs++;
      }
      upstream.write(b);
    });
    upstream.on('data', (b) => {
      if (syncInFlight && budget > 0) {
        budget--;
        dropped++;
        client.destroy();
        upstream.destroy();
        return;
      }
      if (syncInFlight && /^HTTP\/1\.1 /.test(b.toString('latin1'))) syncInFlight = false;
      client.write(b);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dropNext: (n) => (budget = n),
    get dropped() { return dropped; },
    get syncs() { return syncs; },
    close: () => new Promise((r) => { sockets.forEach((s) => s.destroy()); server.close(() => r()); }),
  };
}
