// Item 7: a client vanishing in the middle of its request body is a client problem, not an unexpected
// server error (no "unexpected error" log line, no 500 path), and the server keeps answering.
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { startServer } from '../helpers/spawn-server.js';

it('a client that disconnects in the middle of a request body is not logged as an unexpected (500) error', async () => {
  const srv = await startServer();
  try {
    const t = (await (await fetch(srv.url + '/v1/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"siteId":"default"}' })).json()).token;
    await new Promise<void>((done) => {
      const s = connect(srv.port, '127.0.0.1', () => s.end(`POST /v1/sync HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"events":[`));
      s.on('data', () => undefined);
      s.on('close', () => done());
      s.on('error', () => done());
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await fetch(srv.url + '/v1/sites/default/config')).status).toBe(200);
    expect(srv.output()).not.toMatch(/unexpected error/);
  } finally {
    await srv.stop();
  }
});
