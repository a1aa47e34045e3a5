// Site settings: what the console edits and the widget reads (minus the secret).
import { z } from 'zod';
import { boundedText } from './common.js';

/** An origin (`https://shop.example`) or one with any port (`http://localhost:*`). */
export const originSchema = z.string().max(200).refine((o) => {
  const m = /^(https?):\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}|\*))?$/.exec(o);
  return m !== null && (!m[3] || m[3] === '*' || Number(m[3]) <= 65535);
}, 'expected an origin like https://shop.example or http://localhost:*');

export const formFieldSchema = z.strictObject({ key: z.string().max(64), required: z.boolean() });

export const settingsSchema = z.strictObject({
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour like #4f46e5'),
  greeting: boundedText(500),
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
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingsPatchSchema = settingsSchema
  .omit({ secret: true, form: true })
  .extend({ form: settingsSchema.shape.form.partial() })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
