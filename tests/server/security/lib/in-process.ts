// The in-process app plus a client, with a way to pretend requests come from different peer addresses.
import { createClient } from '../../helpers/client.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../../helpers/test-app.js';

export type Harness = TestApp & { api: ReturnType<typeof createClient>; fromIp(ip: string): ReturnType<typeof createClient> };

/** createTestApp() + a client over app.request(); `fromIp` sets the socket address the rate limiter keys on. */
export async function createHarness(opts: TestAppOptions = {}): Promise<Harness> {
  const t = await createTestApp(opts);
  const env = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });
  const fromIp = (ip: string) => createClient((p, i) => t.app.request(p, i, env(ip)), t.agentToken);
  return Object.assign(t, { api: fromIp('127.0.0.1'), fromIp });
}
