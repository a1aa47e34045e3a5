// Item 7: a client vanishing in the middle of its request body is a client problem, not an unexpected
// server error (no "unexpected error" log line, no 500 path), and the server keeps answering.
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/spawn-server.js';

/** Writes raw bytes to the server, then closes our side and waits for the socket to end. */
function sendRawAndHangUp(srv: RunningServer, raw: string): Promise<void> {
  return new Promise<void>((done) => {
    const s = connect(srv.port, '127.0.0.1', () => s.end(raw));
    s.on('data', () => undefined);
    s.on('close', () => done());
    s.on('error', () => done());
  });
}

const cases: [string, (token: string) => string][] = [
  ['a Content-Length body cut short', (t) => `POST /v1/sync HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"events":[`],
  // the stream aborts inside the body limit (no Content-Length to check up front)
  ['a malformed chunked body', () => 'POST /v1/sync HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n'],
];

it.each(cases)('%s is not logged as an unexpected (500) error, and the server keeps answering', async (_name, raw) => {
  const srv = await startServer();
  try {
    const t = (await (await fetch(srv.url + '/v1/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"siteId":"default"}' })).json()).token;
    await sendRawAndHangUp(srv, raw(t));
    expect((await fetch(srv.url + '/v1/sites/default/config')).status).toBe(200);
    // a log line may still be in the pipe: stop() returns once the process closed its output
    await srv.stop();
    expect(srv.output()).toContain('CHATIVE_LISTENING');
    expect(srv.output()).not.toMatch(/unexpected error/);
  } finally {
    await srv.stop();
  }
});
