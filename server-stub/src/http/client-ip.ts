// The peer address of the TCP connection; proxies' X-Forwarded-For is not trusted (it is client-controlled).
import type { Context } from 'hono';
import type { AppEnv } from './env.js';

export function clientIp(c: Context<AppEnv>): string {
  return c.env?.incoming?.socket?.remoteAddress ?? 'local';
}
