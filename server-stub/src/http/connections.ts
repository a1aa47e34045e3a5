// Open-connection accounting for the node server: shed load with 503 well before the open-file limit.
import type { Server } from 'node:http';

/** The share of the hard cap past which requests are answered 503 + Retry-After (the rest stays for answering). */
const SHED_SHARE = 0.9;

/**
 * Caps `server` at `max` sockets (Node closes any beyond at once) and answers `overloaded()` true once
 * 90 % of them are open, so requests get a quick 503 instead of every request failing at EMFILE.
 */
export function guardConnections(server: Server, max: number): { overloaded(): boolean; open(): number } {
  let open = 0;
  server.maxConnections = max;
  server.on('connection', (socket) => {
    open++;
    socket.once('close', () => open--);
  });
  const shedAt = Math.max(1, Math.floor(max * SHED_SHARE));
  return { overloaded: () => open >= shedAt, open: () => open };
}

/** The answer to a request that arrives while overloaded; `connection: close` frees its socket. */
export function overloadedResponse(): Response {
  const body = JSON.stringify({ error: { code: 'overloaded', message: 'the server has too many open connections; retry shortly' } });
  return new Response(body, { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '5', connection: 'close' } });
}
