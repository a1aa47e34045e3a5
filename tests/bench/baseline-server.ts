// The baseline for the sync figure: a bare node:http server that reads and parses the same JSON
// body and answers a result per event, with no storage. It prints {"port":n} once listening.
import { createServer } from 'node:http';

const LIMIT = 64 * 1024;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= LIMIT) chunks.push(c);
  });
  req.on('end', () => {
    let body: { events?: { id?: unknown }[] };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"invalid_json","message":"bad json"}}');
      return;
    }
    if (size > LIMIT || !req.headers.authorization || !Array.isArray(body.events)) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"validation_failed","message":"bad batch"}}');
      return;
    }
    const results = body.events.map((e) => ({ id: e.id, status: 'applied' }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results, contact: null }));
  });
});

server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
