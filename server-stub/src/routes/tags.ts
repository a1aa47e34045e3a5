// Agent API: the workspace's tag list (one list, one meaning: tags belong to contacts).
import { Hono } from 'hono';
import { role } from '../http/auth.js';
import { tagCreateSchema } from '../../../widget/src/contract/zod/agent.js';
import { LIMITS } from '../../../widget/src/contract/limits.js';
import { normalizeTagName, tagKey, tagNameProblem } from '../domain/tags.js';
import { HttpError } from '../http/http-error.js';
import { readJson } from '../http/read-json.js';
import type { Services } from '../services/index.js';

function nameOf(raw: string): string {
  const name = normalizeTagName(raw);
  if (!name) {
    const problem = tagNameProblem(raw) ?? `1-${LIMITS.tagChars} characters`;
    throw new HttpError(400, 'validation_failed', `name: ${problem}`, [{ path: ['name'], message: problem }]);
  }
  return name;
}

const present = (t: { name: string; createdAt: string; contactCount?: number }) => ({ name: t.name, contactCount: t.contactCount ?? 0, createdAt: t.createdAt });

export function tagRoutes(s: Services) {
  const r = new Hono();

  r.get('/v1/tags', role('agent'), async (c) => c.json({ items: (await s.store.read((db) => db.listTags())).map(present), nextCursor: null }));

  r.post('/v1/tags', role('admin'), async (c) => {
    const name = nameOf((await readJson(c, tagCreateSchema)).name);
    // one unit: two agents creating the same tag at once get one tag (the second answers 200 with it)
    const [tag, created] = await s.store.write(async (tx) => {
      const existing = await tx.getTagByKey(tagKey(name));
      if (existing) return [(await tx.listTags()).find((t) => t.id === existing.id)!, false] as const;
      return [await tx.createTag(name, new Date().toISOString()), true] as const;
    });
    return c.json(present(tag), created ? 201 : 200);
  });

  r.patch('/v1/tags/:name', role('admin'), async (c) => {
    const key = tagKey(nameOf(c.req.param('name')));
    if (!(await s.store.read((db) => db.getTagByKey(key)))) throw new HttpError(404, 'tag_not_found', 'no such tag');
    const name = nameOf((await readJson(c, tagCreateSchema)).name);
    const renamed = await s.store.write(async (tx) => {
      // re-read inside the unit: the body was read after the first look
      const tag = await tx.getTagByKey(key);
      if (!tag) throw new HttpError(404, 'tag_not_found', 'no such tag');
      const clash = await tx.getTagByKey(tagKey(name));
      if (clash && clash.id !== tag.id) throw new HttpError(409, 'tag_exists', `a tag "${clash.name}" already exists`, [{ path: ['name'], message: 'already exists' }]);
      await tx.renameTag(tag.id, name);
      return (await tx.listTags()).find((t) => t.id === tag.id)!;
    });
    return c.json(present(renamed));
  });

  r.delete('/v1/tags/:name', role('admin'), async (c) => {
    const key = tagKey(nameOf(c.req.param('name')));
    await s.store.write(async (tx) => {
      const tag = await tx.getTagByKey(key);
      if (!tag) throw new HttpError(404, 'tag_not_found', 'no such tag');
      await tx.deleteTag(tag.id);
    });
    return c.body(null, 204);
  });

  return r;
}
