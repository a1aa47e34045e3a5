// A loopback TCP proxy in front of PostgreSQL that shows a test what the client writes (round trips, statements):
// every chunk the client sends goes to `onClientData` before it is forwarded. Closed by the closer it registers.
import net from 'node:net';

export async function pgProxy(target: URL, onClientData: (chunk: Buffer) => void, closers: (() => void)[]): Promise<string> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (b) => { onClientData(b); upstream.write(b); });
    upstream.on('data', (b) => client.write(b));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => { sockets.forEach((s) => s.destroy()); server.close(); });
  const u = new URL(target);
  u.hostname = '127.0.0.1';
  u.port = String((server.address() as net.AddressInfo).port);
  return u.toString();
}
