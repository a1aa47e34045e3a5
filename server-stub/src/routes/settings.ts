// Agent API: site settings (the secret is shown to agents only) and secret rotation.
import { Hono } from 'hono';
import { settingsPatchSchema } from '../../../widget/src/contract/zod/settings.js';
import { readJson } from '../http/read-json.js';
import type { Services } from '../services/index.js';

export function settingsRoutes(s: Services) {
  const r = new Hono();
  r.get('/v1/settings', (c) => c.json(s.settings.get()));
  r.patch('/v1/settings', async (c) => c.json(s.settings.patch(await readJson(c, settingsPatchSchema))));
  r.post('/v1/settings/secret/rotate', (c) => c.json({ secret: s.settings.rotateSecret() }));
  return r;
}
