// Demo only (CHATIVE_DEMO != 0): plays the host site's backend, signing a customer id with the site secret.
import { Hono } from 'hono';
import { z } from 'zod';
import { boundedText } from '../contract/common.js';
import { userHashFor } from '../domain/identity.js';
import { clientIp } from '../http/client-ip.js';
import type { AppEnv } from '../http/env.js';
import { readJson } from '../http/read-json.js';
import type { Services } from '../services/index.js';

const loginSchema = z.strictObject({
  customerId: boundedText(255).min(1),
  name: boundedText(255).optional(),
  email: boundedText(254).optional(),
});

export function demoRoutes(s: Services) {
  const r = new Hono<AppEnv>();
  r.post('/demo/login', async (c) => {
    s.limiter.take('demoPerIp', clientIp(c));
    const body = await readJson(c, loginSchema);
    return c.json({ ...body, userHash: userHashFor(s.settings.get().secret, body.customerId) });
  });
  return r;
}
