// Site settings kept as one JSON row per site, validated on every write; the public config hides the secret.
import { randomBytes } from 'node:crypto';
import { settingsSchema, type Settings, type SettingsPatch } from '../contract/settings.js';
import { HttpError } from '../http/http-error.js';
import type { Store } from '../storage/store.js';

export const DEFAULT_SITE = 'default';
const BUILTIN_FIELDS = {
  name: { label: 'Name', type: 'text' },
  email: { label: 'Email', type: 'email' },
  phone: { label: 'Phone', type: 'tel' },
} as const;

export type SettingsService = ReturnType<typeof createSettingsService>;

function defaults(secret: string): Settings {
  return {
    color: '#4f46e5',
    name: 'Support',
    greeting: 'Hi! How can we help?',
    greetings: {},
    theme: 'auto',
    sound: false,
    position: 'right',
    form: { enabled: true, fields: [{ key: 'name', required: true }, { key: 'email', required: false }, { key: 'phone', required: false }], emailOrPhone: true },
    verification: true,
    allowedOrigins: [],
    secret,
  };
}

/** A new 256-bit site secret as hex. */
export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

/** Loads (creating) the default site's settings; an env secret, when given, wins at start. */
export function createSettingsService(store: Store, opts: { envSecret?: string } = {}) {
  let cached: Settings;
  const raw = store.getSettingsJson(DEFAULT_SITE);
  const parsed = raw ? settingsSchema.safeParse(JSON.parse(raw)) : null;
  cached = parsed?.success ? parsed.data : defaults(opts.envSecret || newSecret());
  if (opts.envSecret && cached.secret !== opts.envSecret) cached = { ...cached, secret: opts.envSecret };
  store.saveSettingsJson(DEFAULT_SITE, JSON.stringify(cached));

  const save = (next: Settings) => {
    const checked = settingsSchema.parse(next);
    store.saveSettingsJson(DEFAULT_SITE, JSON.stringify(checked));
    cached = checked;
    return cached;
  };

  return {
    /** Settings of a site, or a 404 for any site but the default one. */
    get(siteId: string = DEFAULT_SITE): Settings {
      if (siteId !== DEFAULT_SITE) throw new HttpError(404, 'site_not_found', `no site "${siteId.slice(0, 64)}"`);
      return cached;
    },
    exists: (siteId: string) => siteId === DEFAULT_SITE,
    patch(p: SettingsPatch): Settings {
      const form = { ...cached.form, ...(p.form ?? {}) };
      const seen = new Set<string>();
      form.fields.forEach((f, i) => {
        const known = f.key in BUILTIN_FIELDS || store.getField(f.key);
        if (!known) throw new HttpError(400, 'validation_failed', `form.fields.${i}.key: unknown field "${f.key}"`, [{ path: ['form', 'fields', i, 'key'], message: 'unknown field' }]);
        if (seen.has(f.key)) throw new HttpError(400, 'validation_failed', `form.fields.${i}.key: listed twice`, [{ path: ['form', 'fields', i, 'key'], message: 'listed twice' }]);
        seen.add(f.key);
      });
      return save({ ...cached, ...p, form });
    },
    rotateSecret(): string {
      return save({ ...cached, secret: newSecret() }).secret;
    },
    /** Keeps the form in step with custom-field inForm/required flags and deletions. */
    setFormField(key: string, entry: { required: boolean } | null) {
      const fields = cached.form.fields.filter((f) => f.key !== key);
      if (entry) {
        const old = cached.form.fields.find((f) => f.key === key);
        if (old) fields.splice(cached.form.fields.indexOf(old), 0, { key, required: entry.required });
        else fields.push({ key, required: entry.required });
      }
      save({ ...cached, form: { ...cached.form, fields } });
    },
    /** GET /v1/sites/:id/config: what the widget needs to boot, never the secret. */
    publicConfig(siteId: string) {
      const s = this.get(siteId);
      const fields = s.form.fields.flatMap((f): { key: string; label: string; type: string; required: boolean; custom?: true }[] => {
        if (f.key in BUILTIN_FIELDS) return [{ key: f.key, ...BUILTIN_FIELDS[f.key as keyof typeof BUILTIN_FIELDS], required: f.required }];
        const def = store.getField(f.key);
        return def ? [{ key: f.key, label: def.name, type: def.type, required: f.required, custom: true as const }] : [];
      });
      return {
        siteId,
        color: s.color,
        name: s.name,
        greeting: s.greeting,
        greetings: s.greetings,
        theme: s.theme,
        sound: s.sound,
        position: s.position,
        form: { enabled: s.form.enabled, fields, emailOrPhone: s.form.emailOrPhone },
        verification: s.verification,
      };
    },
  };
}
