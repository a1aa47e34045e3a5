// Agent API: custom-field definitions; inForm/required mirror the pre-chat form in settings.
import { Hono } from 'hono';
import { role } from '../http/auth.js';
import { fieldCreateSchema, fieldPatchSchema } from '../../../widget/src/contract/zod/agent.js';
import { deriveFieldKey, FIELD_KEY_RE, RESERVED_KEYS } from '../domain/custom-fields.js';
import { LIMITS } from '../../../widget/src/contract/limits.js';
import { HttpError } from '../http/http-error.js';
import { readJson } from '../http/read-json.js';
import type { Services } from '../services/index.js';
import type { FieldDef } from '../storage/store.js';

export function customFieldRoutes(s: Services) {
  const r = new Hono();
  const present = (f: FieldDef & { contactCount?: number }) => {
    const inForm = s.settings.get().form.fields.find((x) => x.key === f.key);
    return { key: f.key, name: f.name, type: f.type, inForm: Boolean(inForm), required: inForm?.required ?? false, contactCount: f.contactCount ?? 0, createdAt: f.createdAt };
  };
  const find = async (key: string) => {
    const f = await s.store.read((db) => db.getField(key));
    if (!f) throw new HttpError(404, 'field_not_found', 'no such custom field');
    return f;
  };

  r.get('/v1/custom-fields', role('agent'), async (c) => c.json({ items: (await s.store.read((db) => db.listFields())).map(present), nextCursor: null }));

  r.post('/v1/custom-fields', role('admin'), async (c) => {
    const body = await readJson(c, fieldCreateSchema);
    const key = body.key ?? deriveFieldKey(body.name);
    if (!FIELD_KEY_RE.test(key)) throw new HttpError(400, 'validation_failed', 'key: must match ^[a-z][a-z0-9_]{0,63}$', [{ path: ['key'], message: 'must match ^[a-z][a-z0-9_]{0,63}$' }]);
    if (RESERVED_KEYS.has(key)) throw new HttpError(400, 'validation_failed', `key: "${key}" is a built-in contact field`, [{ path: ['key'], message: 'reserved' }]);
    const field: FieldDef = { key, name: body.name.trim(), type: body.type, createdAt: new Date().toISOString() };
    const entry = body.inForm ? { required: body.required ?? false } : null;
    // everything checked before the first write; the field and the form change commit together or not at all
    await s.settings.change(async (tx, draft) => {
      if (await tx.getField(key)) throw new HttpError(409, 'field_exists', `a custom field "${key}" already exists`, [{ path: ['key'], message: 'already exists' }]);
      if ((await tx.listFields()).length >= LIMITS.customFields)
        throw new HttpError(400, 'validation_failed', `key: at most ${LIMITS.customFields} custom fields`, [{ path: ['key'], message: `at most ${LIMITS.customFields} custom fields` }]);
      if (entry) s.settings.checkFormField(key, entry);
      await tx.createField(field);
      if (entry) s.settings.setFormField(draft, key, entry);
    });
    return c.json(present(field), 201);
  });

  r.patch('/v1/custom-fields/:key', role('admin'), async (c) => {
    const field = await find(c.req.param('key'));
    const body = await readJson(c, fieldPatchSchema);
    const current = s.settings.get().form.fields.find((x) => x.key === field.key);
    const inForm = body.inForm ?? Boolean(current);
    const formChange = body.inForm !== undefined || body.required !== undefined;
    const entry = inForm ? { required: body.required ?? current?.required ?? false } : null;
    if (formChange) s.settings.checkFormField(field.key, entry);
    const updated = await s.settings.change(async (tx, draft) => {
      // deleted while the body was read: nothing to change, and the form must not name it again
      if (!(await tx.getField(field.key))) throw new HttpError(404, 'field_not_found', 'no such custom field');
      if (body.name) await tx.renameField(field.key, body.name.trim());
      if (formChange) s.settings.setFormField(draft, field.key, entry);
      return (await tx.listFields()).find((f) => f.key === field.key)!;
    });
    return c.json(present(updated));
  });

  r.delete('/v1/custom-fields/:key', role('admin'), async (c) => {
    const field = await find(c.req.param('key'));
    // one transaction: a crash can never leave the form asking for a field that no longer exists
    await s.settings.change(async (tx, draft) => {
      await tx.deleteField(field.key);
      s.settings.setFormField(draft, field.key, null);
    });
    return c.body(null, 204);
  });

  return r;
}
