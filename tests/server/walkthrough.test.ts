// The docs/SERVER.md curl walkthrough, run for real against the real server (needs curl and openssl).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { startServer } from './helpers/spawn-server.js';

it('a new user can climb guest -> lead -> customer, tag, filter and note with curl alone', async () => {
  // no secret or token given: the server generates both, as on a fresh clone
  const srv = await startServer({ env: { CHATIVE_SITE_SECRET: '', CHATIVE_AGENT_TOKEN: '' } });
  try {
    expect(srv.output()).toContain('printed this once');
    const out = execFileSync('bash', [resolve(import.meta.dirname, '../../server-stub/scripts/curl-walkthrough.sh')], {
      env: { ...process.env, U: srv.url, DATA_DIR: srv.dataDir },
      encoding: 'utf8',
    });
    expect(out).toContain('walkthrough ok');
  } finally {
    await srv.stop();
  }
});

it('the agent token is printed at first start only; later starts print where it is kept', async () => {
  const first = await startServer({ env: { CHATIVE_AGENT_TOKEN: '' } });
  const token = /agent token\s+(\S+)/.exec(first.output())![1];
  await first.kill();
  const second = await startServer({ dataDir: first.dataDir, env: { CHATIVE_AGENT_TOKEN: '' } });
  try {
    expect(second.output()).not.toContain(token);
    expect(second.output()).toContain('agent-token');
    const r = await fetch(`${second.url}/v1/contacts`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    expect(second.agentToken).toBe(token);
  } finally {
    await second.stop();
    rmSync(first.dataDir, { recursive: true, force: true });
  }
});
