// Demo only (CHATIVE_DEMO != 0): plays the host site's backend, signing a demo customer id with the site secret.
import { Hono } from 'hono';
import { z } from 'zod';
import { boundedText } from '../../../widget/src/contract/zod/common.js';
import { userHashFor } from '../domain/identity.js';
import { clientIp } from '../http/client-ip.js';
import type { AppEnv } from '../http/env.js';
import { HttpError } from '../http/http-error.js';
import { readJson } from '../http/read-json.js';
import type { Services } from '../services/index.js';

/** Only ids in this namespace get signed, so the route is never a userHash oracle for real customers. */
export const DEMO_CUSTOMER_ID = /^demo-[a-z0-9-]{1,40}$/;

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
    if (!DEMO_CUSTOMER_ID.test(body.customerId)) {
      throw new HttpError(403, 'demo_only', 'the demo login signs only customer ids like "demo-ada" (demo-, then 1-40 of a-z 0-9 -)');
    }
    return c.json({ ...body, userHash: userHashFor(s.settings.get().secret, body.customerId) });
  });
  return r;
}
