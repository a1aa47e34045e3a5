// @vitest-environment happy-dom
// The server owns validation: a refused pre-chat form comes back as the visitor typed it, with the
// server's words on the field its issues[].path names (aria-invalid + aria-describedby), never emptied.
import 'fake-indexeddb/auto';
import { describe, it, expect, afterEach, vi } from 'vitest';
import { render, cleanup } from '@testing-library/preact';
import { PreChat } from '../../../widget/src/app/screens/PreChat';
import { strings as en } from '../../../widget/src/app/i18n/en';
import { fieldIssues } from '../../../widget/src/contract/form-issues';
import { createCore } from '../../../widget/src/core/widget-core';
import { createClient } from '../../../widget/src/client/http';
import { createKv } from '../../../widget/src/storage/kv';
import { createBus } from '../../../widget/src/client/bus';
import type { FormField } from '../../../widget/src/contract/schemas';

const fields: FormField[] = [
  { key: 'name', label: 'Name', type: 'text', required: true },
  { key: 'email', label: 'Email', type: 'email', required: false },
  { key: 'phone', label: 'Phone', type: 'tel', required: false },
  { key: 'plan', label: 'Plan', type: 'text', required: false, custom: true },
];
const PHONE_REFUSED = 'not a valid phone number: include the country code, e.g. +44 20 7946 0958';

afterEach(cleanup);

describe('fieldIssues', () => {
  it('maps issue paths to form field keys, custom fields by their key', () => {
    expect(fieldIssues([
      { path: ['phone'], message: 'bad phone' },
      { path: ['custom', 'plan'], message: 'Plan: expected text' },
      { path: ['phone'], message: 'second word on the phone' },
      { path: [], message: 'no field' },
    ])).toEqual({ phone: 'bad phone', plan: 'Plan: expected text' });
    expect(fieldIssues(undefined)).toEqual({});
  });
});

describe('<PreChat> after the server refused it', () => {
  it('shows the message on the refused field only, keeps every typed value and focuses that field', () => {
    const typed = { name: 'Lina Lead', email: 'lina@example.com', phone: '+0 20 7946 0958', plan: 'pro' };
    const ui = render(<PreChat fields={fields} emailOrPhone strings={en} serverError={'phone: ' + PHONE_REFUSED}
      serverIssues={{ phone: PHONE_REFUSED }} initialValues={typed} onSubmit={() => undefined} />);
    const phone = ui.getByLabelText('Phone') as HTMLInputElement;
    expect(phone.getAttribute('aria-invalid')).toBe('true');
    expect(ui.container.querySelector('#' + phone.getAttribute('aria-describedby'))?.textContent).toBe(PHONE_REFUSED);
    for (const label of [/^Name/, 'Email', 'Plan']) {
      const input = ui.getByLabelText(label) as HTMLInputElement;
      expect(input.getAttribute('aria-invalid')).toBeNull();
      expect(input.getAttribute('aria-describedby')).toBeNull();
    }
    expect((ui.getByLabelText(/^Name/) as HTMLInputElement).value).toBe('Lina Lead');
    expect((ui.getByLabelText('Email') as HTMLInputElement).value).toBe('lina@example.com');
    expect(phone.value).toBe('+0 20 7946 0958');
    expect((ui.getByLabelText('Plan') as HTMLInputElement).value).toBe('pro');
    expect(ui.getByRole('status').textContent).toBe('Please fix 1 field.');
    expect(document.activeElement).toBe(phone);
  });

  it('a refusal naming no field of the form is said in the summary', () => {
    const ui = render(<PreChat fields={fields} emailOrPhone strings={en} serverError="customerId: already used"
      serverIssues={{ customerId: 'already used' }} initialValues={{ name: 'Ann' }} onSubmit={() => undefined} />);
    expect(ui.getByRole('status').textContent).toBe('customerId: already used');
    expect((ui.getByLabelText(/^Name/) as HTMLInputElement).value).toBe('Ann');
  });
});

it('the core keeps what was typed until the server accepts the form, and files its issues by field', async () => {
  const contact = { id: 'ct_1', type: 'guest' };
  let accept = false;
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    if (url.pathname === '/v1/sites/default/config') return json({ siteId: 'default', form: { enabled: true, fields } });
    if (url.pathname === '/v1/sessions') return json({ token: 't0k3n', contact });
    if (url.pathname === '/v1/sync') {
      const { events } = JSON.parse(String(init!.body)) as { events: { id: string }[] };
      return json({ results: events.map((e) => accept ? { id: e.id, status: 'applied' }
        : { id: e.id, status: 'rejected', error: { code: 'validation_failed', message: 'phone: ' + PHONE_REFUSED, issues: [{ path: ['phone'], message: PHONE_REFUSED }] } }), contact });
    }
    return json({ error: { code: 'not_found' } }, 404);
  }) as typeof fetch;
  const core = createCore({ client: createClient('http://chat.test', 'default', fakeFetch), fetch: fakeFetch, kv: createKv(), bus: createBus('form-issues'), siteId: 'default', consent: false });
  void core.start();
  await vi.waitFor(() => expect(core.getState().contact?.id).toBe('ct_1'));
  const typed = { name: 'Lina', phone: '+0 20 7946 0958' };
  await core.submitLead({ name: 'Lina', phone: '+020794609 58' }, typed);
  expect(core.getState().formValues).toEqual(typed);
  expect(core.getState().formIssues).toEqual({ phone: PHONE_REFUSED });
  accept = true;
  await core.submitLead({ name: 'Lina', phone: '+442079460958' }, { name: 'Lina', phone: '+44 20 7946 0958' });
  expect(core.getState().formValues).toBeNull();
  expect(core.getState().formIssues).toEqual({});
});
