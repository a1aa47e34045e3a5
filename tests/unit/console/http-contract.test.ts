// The console safeParses every answer with the contract: a server that drifted is a clear error, not a blank screen.
import { describe, expect, it } from 'vitest';
import { createContactsApi } from '../../../demo-site/console/src/api/contacts';
import { ApiError, createHttp } from '../../../demo-site/console/src/api/http';

const answering = (body: unknown, status = 200) =>
  (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;

describe('console http + contract', () => {
  it('refuses an answer that does not match the contract, naming the field', async () => {
    const api = createContactsApi(createHttp('t', () => undefined, answering({ guest: 1, lead: 'two', customer: 0, total: 3 })));
    const err = await api.counts({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'invalid_response', status: 200 });
    expect((err as Error).message).toContain('lead');
  });

  it('returns the parsed answer when it matches', async () => {
    const api = createContactsApi(createHttp('t', () => undefined, answering({ guest: 1, lead: 2, customer: 0, total: 3 })));
    expect(await api.counts({})).toEqual({ guest: 1, lead: 2, customer: 0, total: 3 });
  });

  it('still maps an error answer to ApiError with the server code and issues', async () => {
    const issues = [{ path: ['email'], message: 'not an email' }];
    const api = createContactsApi(createHttp('t', () => undefined, answering({ error: { code: 'validation_failed', message: 'email: not an email', issues } }, 400)));
    await expect(api.patch('c1', { email: 'x' })).rejects.toMatchObject({ status: 400, code: 'validation_failed', issues });
  });
});
