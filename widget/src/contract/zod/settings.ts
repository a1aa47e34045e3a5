// Site settings: what the console edits and the widget reads (minus the secret).
import { z } from 'zod';
import { boundedText } from './common.js';

/** An origin (`https://shop.example`) or one with any port (`http://localhost:*`). */
export const originSchema = z.string().max(200).refine((o) => {
  const m = /^(https?):\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}|\*))?$/.exec(o);
  return m !== null && (!m[3] || m[3] === '*' || Number(m[3]) <= 65535);
}, 'expected an origin like https://shop.example or http://localhost:*');

export const formFieldSchema = z.strictObject({ key: z.string().max(64), required: z.boolean() });

/** A language code as the widget picks it (`fr`, `pt`, `vi`): lowercase letters only. */
export const langSchema = z.string().regex(/^[a-z]{2,3}$/, 'expected a language code like fr');

const baseSchema = z.strictObject({
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour like #4f46e5'),
  /** The team's display name: the widget shows it on agent messages (agentName) until agents have accounts. */
  name: boundedText(100),
  greeting: boundedText(500),
  /** The greeting per visitor language; a language without one gets the widget's translated default (`greeting` is English's). */
  greetings: z.record(langSchema, boundedText(500)).refine((g) => Object.keys(g).length <= 50, 'at most 50 languages'),
  /** `auto` follows the visitor's prefers-color-scheme. */
  theme: z.enum(['auto', 'light', 'dark']),
  /** A short chime for a new agent message while the chat is closed or the tab hidden: off unless the owner turns it on. */
  sound: z.boolean(),
  position: z.enum(['left', 'right']),
  form: z.strictObject({
    enabled: z.boolean(),
    fields: z.array(formFieldSchema).max(53),
    emailOrPhone: z.boolean(),
  }),
  verification: z.boolean(),
  allowedOrigins: z.array(originSchema).max(50),
  // phones typed without a country code are read in this country when the visitor's time zone names none
  defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 country code like GB').nullable(),
  secret: z.string().min(16).max(256),
  // CONTRACT §9: guests with no message, last seen more than guestDays ago, are erased daily (null: kept)
  retention: z.strictObject({ guestDays: z.number().int('expected a whole number of days').min(1).max(3650).nullable() }),
});
/** Stored settings: fields added later get their defaults when an older row is read. */
export const settingsSchema = baseSchema.extend({
  name: baseSchema.shape.name.default('Support'),
  greetings: baseSchema.shape.greetings.default({}),
  theme: baseSchema.shape.theme.default('auto'),
  sound: baseSchema.shape.sound.default(false),
  defaultCountry: baseSchema.shape.defaultCountry.default(null),
  retention: baseSchema.shape.retention.default({ guestDays: null }),
});
export type Settings = z.infer<typeof settingsSchema>;

// Built from the base (no defaults): a patch that leaves a field out must not reset it.
export const settingsPatchSchema = baseSchema
  .omit({ secret: true, form: true })
  .extend({ form: baseSchema.shape.form.partial() })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
