// Agent API: the workspace's tag list (one list, one meaning: tags belong to contacts).
import { Hono } from 'hono';
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

  r.get('/v1/tags', (c) => c.json({ items: s.store.listTags().map(present), nextCursor: null }));

  r.post('/v1/tags', async (c) => {
    const name = nameOf((await readJson(c, tagCreateSchema)).name);
    const existing = s.store.getTagByKey(tagKey(name));
    if (existing) return c.json(present(s.store.listTags().find((t) => t.id === existing.id)!), 200);
    const tag = s.store.transaction(() => s.store.createTag(name, new Date().toISOString()));
    return c.json(present(tag), 201);
  });

  r.patch('/v1/tags/:name', async (c) => {
    const tag = s.store.getTagByKey(tagKey(nameOf(c.req.param('name'))));
    if (!tag) throw new HttpError(404, 'tag_not_found', 'no such tag');
    const name = nameOf((await readJson(c, tagCreateSchema)).name);
    const clash = s.store.getTagByKey(tagKey(name));
    if (clash && clash.id !== tag.id) throw new HttpError(409, 'tag_exists', `a tag "${clash.name}" already exists`, [{ path: ['name'], message: 'already exists' }]);
    s.store.transaction(() => s.store.renameTag(tag.id, name));
    return c.json(present(s.store.listTags().find((t) => t.id === tag.id)!));
  });

  r.delete('/v1/tags/:name', (c) => {
    const tag = s.store.getTagByKey(tagKey(nameOf(c.req.param('name'))));
    if (!tag) throw new HttpError(404, 'tag_not_found', 'no such tag');
    s.store.transaction(() => s.store.deleteTag(tag.id));
    return c.body(null, 204);
  });

  return r;
}
