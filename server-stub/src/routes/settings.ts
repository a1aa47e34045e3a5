// Agent API: site settings (the secret is shown to agents only) and secret rotation.
import { Hono } from 'hono';
import { role } from '../http/auth.js';
import { settingsPatchSchema } from '../../../widget/src/contract/zod/settings.js';
import { readJson } from '../http/read-json.js';
import type { Services } from '../services/index.js';

export function settingsRoutes(s: Services) {
  const r = new Hono();
  // secretSource: `environment` when CHATIVE_SITE_SECRET pins the secret (rotation then answers 409)
  const view = () => ({ ...s.settings.get(), secretSource: s.settings.secretSource });
  r.get('/v1/settings', role('admin'), (c) => c.json(view()));
  r.patch('/v1/settings', role('admin'), async (c) => {
    await s.settings.patch(await readJson(c, settingsPatchSchema));
    return c.json(view());
  });
  r.post('/v1/settings/secret/rotate', role('admin'), async (c) => c.json({ secret: await s.settings.rotateSecret() }));
  return r;
}
