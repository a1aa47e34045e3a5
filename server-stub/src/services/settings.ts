// Site settings kept as one JSON row per site, validated on every write; the public config hides the secret.
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config-error.js';
import { settingsSchema, type Settings, type SettingsPatch } from '../../../widget/src/contract/zod/settings.js';
import { isPhoneCountry } from '../domain/phone.js';
import { HttpError, toIssues, validationError } from '../http/http-error.js';
import type { Reader, Store, Tx } from '../storage/store.js';

export const DEFAULT_SITE = 'default';
const BUILTIN_FIELDS = {
  name: { label: 'Name', type: 'text' },
  email: { label: 'Email', type: 'email' },
  phone: { label: 'Phone', type: 'tel' },
} as const;

/** Own keys only: `toString` or `constructor` are not built-in fields (`in` would say they are). */
const isBuiltin = (key: string): key is keyof typeof BUILTIN_FIELDS => Object.hasOwn(BUILTIN_FIELDS, key);

export type SettingsService = Awaited<ReturnType<typeof createSettingsService>>;

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
    retention: { guestDays: null },
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

/** The settings a change is building: its functions replace `value`; the unit validates and saves it at the end. */
export type SettingsDraft = { value: Settings };

/** The stored row of the default site as Settings; undefined when there is none, a ConfigError when it cannot be read. */
function parseStored(raw: string | undefined): Settings | undefined {
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
}

/**
 * Loads (creating) the default site's settings. An environment secret pins the secret: it wins at every start and
 * rotation through the API is refused (409), so a rotation is never silently undone by the next restart.
 * A stored row that cannot be read is a ConfigError: it is never replaced by defaults.
 */
export async function createSettingsService(store: Store, opts: { envSecret?: string; onSaved?: () => void } = {}) {
  const envSecret = opts.envSecret || undefined;
  if (envSecret !== undefined) checkEnvSecret(envSecret);
  let cached = await store.write(async (tx) => {
    // two instances starting on one empty database: the first row made wins and both read it back (one site secret)
    if ((await tx.getSettingsJson(DEFAULT_SITE)) === undefined) await tx.insertSettingsJson(DEFAULT_SITE, JSON.stringify(defaults(envSecret ?? newSecret())));
    let first = parseStored(await tx.getSettingsJson(DEFAULT_SITE)) ?? defaults(envSecret ?? newSecret());
    if (envSecret !== undefined && first.secret !== envSecret) first = { ...first, secret: envSecret };
    await tx.saveSettingsJson(DEFAULT_SITE, JSON.stringify(first));
    return first;
  });

  /**
   * Runs fn in one write unit with a draft of the stored row (read inside the unit: the truth, not this
   * process's cache); the draft is validated (a 400 naming the field, nothing written) and saved with fn's
   * writes, and the cache follows only a committed row.
   */
  async function change<T>(fn: (tx: Tx, draft: SettingsDraft) => Promise<T>): Promise<T> {
    let saved: Settings | undefined;
    const result = await store.write(async (tx) => {
      const base = parseStored(await tx.getSettingsJson(DEFAULT_SITE)) ?? cached;
      const draft: SettingsDraft = { value: base };
      const r = await fn(tx, draft);
      if (draft.value !== base) {
        const checked = settingsSchema.safeParse(draft.value);
        if (!checked.success) throw validationError(toIssues(checked.error.issues));
        await tx.saveSettingsJson(DEFAULT_SITE, JSON.stringify(checked.data));
        saved = checked.data;
      }
      return r;
    });
    if (saved) {
      cached = saved;
      // other instances reload theirs (live/bus.ts)
      opts.onSaved?.();
    }
    return result;
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
    /** Re-reads the stored row (another instance saved it); an unreadable row keeps the last good one and says so. */
    async reload() {
      const raw = await store.read((r) => r.getSettingsJson(DEFAULT_SITE));
      const stored = parseStored(raw);
      if (stored) cached = envSecret !== undefined && stored.secret !== envSecret ? { ...stored, secret: envSecret } : stored;
    },
    async patch(p: SettingsPatch): Promise<Settings> {
      await change(async (tx, draft) => {
        const form = { ...draft.value.form, ...(p.form ?? {}) };
        const seen = new Set<string>();
        for (const [i, f] of form.fields.entries()) {
          const known = isBuiltin(f.key) || (await tx.getField(f.key));
          if (!known) throw new HttpError(400, 'validation_failed', `form.fields.${i}.key: unknown field "${f.key}"`, [{ path: ['form', 'fields', i, 'key'], message: 'unknown field' }]);
          if (seen.has(f.key)) throw new HttpError(400, 'validation_failed', `form.fields.${i}.key: listed twice`, [{ path: ['form', 'fields', i, 'key'], message: 'listed twice' }]);
          seen.add(f.key);
        }
        if (p.defaultCountry && !isPhoneCountry(p.defaultCountry))
          throw new HttpError(400, 'validation_failed', `defaultCountry: "${p.defaultCountry}" has no phone numbering plan`, [{ path: ['defaultCountry'], message: 'not a country with phone numbers' }]);
        draft.value = { ...draft.value, ...p, form };
      });
      return cached;
    },
    async rotateSecret(): Promise<string> {
      if (envSecret !== undefined)
        throw new HttpError(409, 'secret_managed_by_env', 'the site secret is set by CHATIVE_SITE_SECRET: put the new secret in that variable and restart the server to rotate it');
      await change(async (_tx, draft) => void (draft.value = { ...draft.value, secret: newSecret() }));
      return cached.secret;
    },
    /** Checks the form with `key` set or removed, before anything is written (a 400, never a half-applied change). */
    checkFormField: (key: string, entry: { required: boolean } | null) => void formWith(cached, key, entry),
    /** Keeps the form in step with custom-field inForm/required flags and deletions; call inside change() with the field write. */
    setFormField(draft: SettingsDraft, key: string, entry: { required: boolean } | null) {
      draft.value = formWith(draft.value, key, entry);
    },
    /** GET /v1/sites/:id/config: what the widget needs to boot, never the secret. */
    async publicConfig(r: Reader, siteId: string) {
      const s = this.get(siteId);
      const fields: { key: string; label: string; type: string; required: boolean; custom?: true }[] = [];
      for (const f of s.form.fields) {
        if (isBuiltin(f.key)) fields.push({ key: f.key, ...BUILTIN_FIELDS[f.key as keyof typeof BUILTIN_FIELDS], required: f.required });
        else {
          const def = await r.getField(f.key);
          if (def) fields.push({ key: f.key, label: def.name, type: def.type, required: f.required, custom: true as const });
        }
      }
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
