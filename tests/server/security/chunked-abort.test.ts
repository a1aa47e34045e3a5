// Pending product fix (see /tmp/chative-bugs.md, "chunked body aborted inside bodyLimit"): rename to
// chunked-abort.test.ts once app.onError (or the body limit) treats a request stream aborted by the client as a non-error.
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { startServer } from '../helpers/spawn-server.js';

it('a malformed chunked body (the stream aborts inside the body limit) is not logged as an unexpected (500) error', async () => {
  const srv = await startServer();
  try {
    await new Promise<void>((done) => {
      const s = connect(srv.port, '127.0.0.1', () => s.end('POST /v1/sync HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n'));
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
