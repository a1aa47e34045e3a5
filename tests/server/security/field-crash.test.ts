// Issue 15, Medium 4: a custom-field deletion (and creation with inForm) spans the field table and the settings'
// form; kill -9 at a random moment during concurrent deletions must never leave the form asking for a deleted field
// (a required one would block every visitor's form). The real server, restarted on the same database each round.
import { expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/spawn-server.js';
import { realClient } from './lib/real-client.js';

const ROUNDS = 10;
const FIELDS = 8;
const BUILT_IN = new Set(['name', 'email', 'phone']);

it('kill -9 during custom-field deletions never leaves a deleted field in the pre-chat form (10 rounds)', async () => {
  let srv: RunningServer = await startServer({ env: { CHATIVE_RATE_LIMIT: '0', CHATIVE_SITE_SECRET: '' } });
  const env = { CHATIVE_RATE_LIMIT: '0', CHATIVE_SITE_SECRET: '', CHATIVE_AGENT_TOKEN: srv.agentToken };
  const dataDir = srv.dataDir;
  let orphans = 0;
  let cut = 0;
  let deleted = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const api = realClient(srv.url, srv.agentToken);
      const keys = Array.from({ length: FIELDS }, (_, i) => `r${round}_f${i}`);
      for (const key of keys) expect((await api.agent('POST', '/v1/custom-fields', { name: key, key, type: 'text', inForm: true, required: true })).status).toBe(201);
      // kill after a random number of answers (0 = as soon as the first request is on its way)
      const killAfter = Math.floor(Math.random() * FIELDS);
      let answers = 0;
      let killed: Promise<void> | null = null;
      const kill = () => (killed ??= srv.kill('SIGKILL'));
      const acked = new Set<string>();
      const sends = keys.map((key) =>
        fetch(`${srv.url}/v1/custom-fields/${key}`, { method: 'DELETE', headers: { authorization: `Bearer ${srv.agentToken}` } }).then(
          (r) => {
            if (r.status === 204) acked.add(key);
            else expect(r.status, key).toBeLessThan(500);
            if (++answers >= killAfter) void kill();
          },
          () => cut++,
        ),
      );
      if (killAfter === 0) void kill();
      await Promise.all(sends);
      await kill();
      srv = await startServer({ dataDir, env });
      const after = realClient(srv.url, srv.agentToken);
      const fields = new Set<string>((await after.agent('GET', '/v1/custom-fields')).json.items.map((f: { key: string }) => f.key));
      const form: { key: string }[] = (await after.agent('GET', '/v1/settings')).json.form.fields;
      for (const f of form) if (!BUILT_IN.has(f.key) && !fields.has(f.key)) orphans++;
      // an acknowledged deletion is durable, and a surviving field is still asked (all or nothing)
      for (const key of acked) expect(fields.has(key), key).toBe(false);
      for (const key of fields) expect(form.some((f) => f.key === key), key).toBe(true);
      deleted += acked.size;
      // a visitor can still submit the form: no required field that cannot be filled
      const v = await after.session();
      const custom = Object.fromEntries([...fields].map((k) => [k, 'x']));
      const lead = await after.sync(v.token, [{ type: 'lead', name: 'Visitor', email: 'v@example.com', custom }]);
      expect(lead.json.results[0].status).toBe('applied');
      for (const key of fields) expect((await after.agent('DELETE', `/v1/custom-fields/${key}`)).status).toBe(204);
    }
  } finally {
    await srv.kill('SIGKILL');
    await srv.stop();
  }
  console.log(`[security 15.4] kill -9 during ${ROUNDS}x${FIELDS} concurrent field deletions: ${deleted} acknowledged, ${cut} cut, orphaned form fields=${orphans}`);
  expect(orphans).toBe(0);
}, 180_000);
