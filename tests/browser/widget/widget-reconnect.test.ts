// After a dropped connection (the server is killed and restarted) the widget catches up from its
// last seen message id: replies sent while it was disconnected appear, once each.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/helpers/spawn-server';
import { startHostSite, launchChromium, agent, conversationOf, contactIn, sendViaComposer, poll, type HostSite } from './host-page';

let server: RunningServer;
let host: HostSite;
let browser: Browser;
const env = { CHATIVE_AGENT_TOKEN: randomBytes(32).toString('base64url'), CHATIVE_SITE_SECRET: randomBytes(32).toString('hex') };

beforeAll(async () => {
  server = await startServer({ env });
  host = await startHostSite(server.url);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await server?.stop();
});

describe('reconnect', () => {
  it('catches up from the last seen id after the server went away', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(host.url({ before: `Chative.update({ name: 'Rita', email: 'rita@example.com' })` }));
    const contact = await contactIn(page);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await sendViaComposer(page, 'before the outage');
    await poll(() => page.locator('[data-seq]').count()).toBe(1);
    const conv = await conversationOf(server.url, server.agentToken, contact.id);

    // Keep the widget from reconnecting while the agent answers, so only catch-up can deliver it.
    const stream = (url: URL) => url.pathname === '/v1/stream';
    await page.route(stream, (r) => r.abort('connectionrefused'));
    const { dataDir, port } = server;
    await server.kill('SIGKILL');
    server = await startServer({ env: { ...env, PORT: String(port) }, dataDir });
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'answered during the outage' } });
    await agent(server.url, server.agentToken, `/v1/conversations/${conv}/messages`, { method: 'POST', body: { text: 'and a second one' } });
    // the widget tried to stream again after both replies were in, and was refused: nothing else may bring them
    await page.waitForEvent('requestfailed', (r) => new URL(r.url()).pathname === '/v1/stream');
    expect(await page.getByRole('log').textContent()).not.toContain('answered during the outage');
    await page.unroute(stream);

    await poll(() => page.locator('[data-seq]').allTextContents(), { timeout: 40_000 }).toEqual([
      expect.stringContaining('before the outage'),
      expect.stringContaining('answered during the outage'),
      expect.stringContaining('and a second one'),
    ]);
    await ctx.close();
  });
});
