// Site settings kept as one JSON row per site, validated on every write; the public config hides the secret.
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config-error.js';
import { settingsSchema, type Settings, type SettingsPatch } from '../../../widget/src/contract/zod/settings.js';
import { isPhoneCountry } from '../domain/phone.js';
import { HttpError, toIssues, validationError } from '../http/http-error.js';
import type { Store } from '../storage/store.js';

export const DEFAULT_SITE = 'default';
const BUILTIN_FIELDS = {
  name: { label: 'Name', type: 'text' },
  email: { label: 'Email', type: 'email' },
  phone: { label: 'Phone', type: 'tel' },
} as const;

/** Own keys only: `toString` or `constructor` are not built-in fields (`in` would say they are). */
const isBuiltin = (key: string): key is keyof typeof BUILTIN_FIELDS => Object.hasOwn(BUILTIN_FIELDS, key);

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
    defaultCountry: null,
    secret,
  };
}

/** A new 256-bit site secret as hex. */
export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

/** Configuration the server must not start with (a clear message for the operator, never a silent default). */
export { ConfigError };

/** The first few zod issues as `path: message`, for a start-up message. */
const describeIssues = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
  issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');

/** CHATIVE_SITE_SECRET checked by the stored settings' own rule; a ConfigError naming the variable otherwise. */
export function checkEnvSecret(secret: string): void {
  const r = settingsSchema.shape.secret.safeParse(secret);
  if (!r.success) throw new ConfigError(`CHATIVE_SITE_SECRET is not usable (${secret.length} characters): ${describeIssues(r.error.issues)}. Use 16-256 characters, e.g. \`openssl rand -hex 32\`.`);
}

/**
 * Loads (creating) the default site's settings. An environment secret pins the secret: it wins at every start and
 * rotation through the API is refused (409), so a rotation is never silently undone by the next restart.
 * A stored row that cannot be read is a ConfigError: it is never replaced by defaults.
 */
export function createSettingsService(store: Store, opts: { envSecret?: string } = {}) {
  const envSecret = opts.envSecret || undefined;
  if (envSecret !== undefined) checkEnvSecret(envSecret);
  const load = (): Settings | undefined => {
    const raw = store.getSettingsJson(DEFAULT_SITE);
    if (raw === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new ConfigError(`the stored settings of site "${DEFAULT_SITE}" (table settings) are not valid JSON: ${(err as Error).message}. Restore the database from a backup or fix the row; Chative will not replace them with defaults.`);
    }
    // rows saved before a setting existed get its default (defaultCountry: null) instead of failing the schema
    const parsed = settingsSchema.safeParse(json !== null && typeof json === 'object' && !Array.isArray(json) ? { defaultCountry: null, ...json } : json);
    if (!parsed.success) throw new ConfigError(`the stored settings of site "${DEFAULT_SITE}" (table settings) are invalid: ${describeIssues(parsed.error.issues)}. Fix the row; Chative will not replace them with defaults.`);
    return parsed.data;
  };
  let cached = load() ?? defaults(envSecret ?? newSecret());
  if (envSecret !== undefined && cached.secret !== envSecret) cached = { ...cached, secret: envSecret };
  store.transaction(() => store.saveSettingsJson(DEFAULT_SITE, JSON.stringify(cached)));

  /** Validates first (a 400 naming the field, nothing written), then writes; the cache follows only a written row. */
  const save = (next: Settings) => {
    const checked = settingsSchema.safeParse(next);
    if (!checked.success) throw validationError(toIssues(checked.error.issues));
    store.saveSettingsJson(DEFAULT_SITE, JSON.stringify(checked.data));
    cached = checked.data;
    return cached;
  };

  /** Runs fn in one transaction with the store; when anything in it fails, the cache goes back to the stored row. */
  function change<T>(fn: () => T): T {
    try {
      return store.transaction(fn);
    } catch (err) {
      cached = load() ?? cached;
      throw err;
    }
  }

  /** The form with `key` set (or removed), checked by the settings schema before anything is written. */
  function formWith(base: Settings, key: string, entry: { required: boolean } | null): Settings {
    const fields = base.form.fields.filter((f) => f.key !== key);
    if (entry) {
      const old = base.form.fields.findIndex((f) => f.key === key);
      if (old >= 0) fields.splice(old, 0, { key, required: entry.required });
      else fields.push({ key, required: entry.required });
    }
    const next = { ...base, form: { ...base.form, fields } };
    const checked = settingsSchema.safeParse(next);
    if (!checked.success) throw validationError(toIssues(checked.error.issues));
    return checked.data;
  }

  return {
    /** Where the secret comes from: `environment` (CHATIVE_SITE_SECRET, rotate by changing it) or `settings`. */
    secretSource: (envSecret !== undefined ? 'environment' : 'settings') as 'environment' | 'settings',
    change,
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
        const known = isBuiltin(f.key) || store.getField(f.key);
        if (!known) throw new HttpError(400, 'validation_failed', `form.fields.${i}.key: unknown field "${f.key}"`, [{ path: ['form', 'fields', i, 'key'], message: 'unknown field' }]);
        if (seen.has(f.key)) throw new HttpError(400, 'validation_failed', `form.fields.${i}.key: listed twice`, [{ path: ['form', 'fields', i, 'key'], message: 'listed twice' }]);
        seen.add(f.key);
      });
      if (p.defaultCountry && !isPhoneCountry(p.defaultCountry))
        throw new HttpError(400, 'validation_failed', `defaultCountry: "${p.defaultCountry}" has no phone numbering plan`, [{ path: ['defaultCountry'], message: 'not a country with phone numbers' }]);
      return change(() => save({ ...cached, ...p, form }));
    },
    rotateSecret(): string {
      if (envSecret !== undefined)
        throw new HttpError(409, 'secret_managed_by_env', 'the site secret is set by CHATIVE_SITE_SECRET: put the new secret in that variable and restart the server to rotate it');
      return change(() => save({ ...cached, secret: newSecret() })).secret;
    },
    /** Checks the form with `key` set or removed, before anything is written (a 400, never a half-applied change). */
    checkFormField: (key: string, entry: { required: boolean } | null) => void formWith(cached, key, entry),
    /** Keeps the form in step with custom-field inForm/required flags and deletions; call inside change() with the field write. */
    setFormField(key: string, entry: { required: boolean } | null) {
      save(formWith(cached, key, entry));
    },
    /** GET /v1/sites/:id/config: what the widget needs to boot, never the secret. */
    publicConfig(siteId: string) {
      const s = this.get(siteId);
      const fields = s.form.fields.flatMap((f): { key: string; label: string; type: string; required: boolean; custom?: true }[] => {
        if (isBuiltin(f.key)) return [{ key: f.key, ...BUILTIN_FIELDS[f.key as keyof typeof BUILTIN_FIELDS], required: f.required }];
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
