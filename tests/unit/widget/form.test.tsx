// @vitest-environment happy-dom
// The pre-chat form: per-field errors in plain words, optional means optional, phones as typed.
import { describe, it, expect, afterEach } from 'vitest';
import { render, fireEvent, cleanup } from '@testing-library/preact';
import { validateForm } from '../../../widget/src/contract/form';
import { PreChat } from '../../../widget/src/app/screens/PreChat';
import { strings as en } from '../../../widget/src/app/i18n/en';
import { strings as vi } from '../../../widget/src/app/i18n/vi';
import { linkify } from '../../../widget/src/app/components/MessageText';
import type { FormField } from '../../../widget/src/contract/schemas';

const fields: FormField[] = [
  { key: 'name', label: 'Name', type: 'text', required: true },
  { key: 'email', label: 'Email', type: 'email', required: false },
  { key: 'phone', label: 'Phone', type: 'tel', required: false },
  { key: 'seats', label: 'Seats', type: 'number', required: false, custom: true },
  { key: 'renewal', label: 'Renewal', type: 'date', required: false, custom: true },
  { key: 'vip', label: 'VIP', type: 'boolean', required: false, custom: true },
];

afterEach(cleanup);

describe('validateForm', () => {
  it('names every wrong field in plain words', () => {
    const r = validateForm(fields, { name: ' ', email: 'nope', phone: 'call me', seats: 'many', renewal: '2024-02-31' }, en, true);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors.name).toEqual(['Please enter your name.']);
    expect(r.fieldErrors.email?.[0]).toMatch(/email address/);
    expect(r.fieldErrors.phone).toBeUndefined(); // the server decides phones
    expect(r.fieldErrors.seats?.[0]).toMatch(/number/);
    expect(r.fieldErrors.renewal?.[0]).toMatch(/YYYY-MM-DD/);
  });

  it('optional means optional, except that email-or-phone asks for one of them', () => {
    expect(validateForm(fields, { name: 'Ann', email: 'ann@example.com' }, en, true).ok).toBe(true);
    const r = validateForm(fields, { name: 'Ann' }, en, true);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors.email).toEqual([en.emailOrPhone]);
    expect(validateForm(fields, { name: 'Ann' }, en, false).ok).toBe(true);
  });

  it('builds the lead event: trimmed, phone as typed, custom values typed', () => {
    const r = validateForm(fields, { name: ' Ann ', phone: ' +44 (0)20-7946 0958 ', seats: '12', vip: true, renewal: '2025-01-31' }, en, true);
    expect(r).toEqual({ ok: true, event: { name: 'Ann', phone: '+44 (0)20-7946 0958', custom: { seats: 12, vip: true, renewal: '2025-01-31' } } });
  });

  it('sends phones as the person typed them, local ones too: the server reads them in their country (CONTRACT §1)', () => {
    for (const typed of ['0912 345 678', '(555) 010-2233', '(028) 3823-4567', '+84 90.123.4567', '12345'])
      expect(validateForm(fields, { name: 'Ann', phone: typed }, en, true)).toEqual({ ok: true, event: { name: 'Ann', phone: typed } });
  });

  it('speaks Vietnamese too', () => {
    const r = validateForm(fields, { name: '' }, vi, false);
    expect(!r.ok && r.fieldErrors.name?.[0]).toMatch(/Vui lòng/);
  });
});

describe('<PreChat>', () => {
  it('shows errors inline, linked with aria-describedby and aria-invalid, and a polite summary', async () => {
    let submitted: unknown = null;
    const ui = render(<PreChat fields={fields} emailOrPhone strings={en} serverError={null} onSubmit={(e) => (submitted = e)} />);
    const name = ui.getByLabelText(/^Name/) as HTMLInputElement;
    expect(ui.getByText('(required)')).toBeTruthy();
    fireEvent.click(ui.getByText('Start chatting'));
    expect(submitted).toBeNull();
    expect(name.getAttribute('aria-invalid')).toBe('true');
    const err = ui.container.querySelector('#' + name.getAttribute('aria-describedby'));
    expect(err?.textContent).toBe('Please enter your name.');
    expect(ui.getByRole('status').textContent).toBe('Please fix 3 fields.');
    fireEvent.input(name, { target: { value: 'Ann' } });
    fireEvent.input(ui.getByLabelText('Email'), { target: { value: 'ann@example.com' } });
    fireEvent.click(ui.getByText('Start chatting'));
    expect(submitted).toEqual({ name: 'Ann', email: 'ann@example.com' });
  });
});

describe('linkify', () => {
  it('links only http, https and mailto; keeps trailing punctuation as text', () => {
    expect(linkify('see https://a.example/x. or javascript:alert(1)')).toEqual(['see ', { href: 'https://a.example/x' }, '. or javascript:alert(1)']);
    expect(linkify('mail mailto:a@b.c')).toEqual(['mail ', { href: 'mailto:a@b.c' }]);
  });
});

describe('field keys named like inherited properties (issue 15)', () => {
  const odd: FormField[] = ['toString', '__proto__', 'constructor', 'hasOwnProperty'].map((key) => ({ key, label: `L ${key}`, type: 'text', required: true, custom: true }));

  it('are required like any other key and come back as own values', () => {
    const empty = validateForm(odd, {}, en);
    expect(empty.ok).toBe(false);
    if (empty.ok) return;
    for (const f of odd) expect(Object.getOwnPropertyDescriptor(empty.fieldErrors, f.key)?.value).toEqual([en.required(f.label)]);
    const values = JSON.parse('{"toString":"a","__proto__":"b","constructor":"c","hasOwnProperty":"d"}');
    const full = validateForm(odd, values, en);
    expect(full.ok).toBe(true);
    if (!full.ok) return;
    expect(Object.entries(full.event.custom!)).toEqual([['toString', 'a'], ['__proto__', 'b'], ['constructor', 'c'], ['hasOwnProperty', 'd']]);
    expect(Object.getPrototypeOf(full.event.custom)).toBe(Object.prototype);
  });

  it('render and submit in the pre-chat form', () => {
    let sent: unknown = null;
    const { container, getByLabelText } = render(<PreChat fields={odd} emailOrPhone={false} serverError={null} strings={en} onSubmit={(e) => (sent = e)} />);
    expect(container.querySelectorAll('input')).toHaveLength(4);
    fireEvent.submit(container.querySelector('form')!);
    expect(sent).toBeNull();
    expect(container.querySelectorAll('.err')).toHaveLength(4);
    for (const f of odd) fireEvent.input(getByLabelText(new RegExp(`^L ${f.key}`)), { target: { value: `v-${f.key}` } });
    fireEvent.submit(container.querySelector('form')!);
    expect(Object.entries((sent as { custom: Record<string, string> }).custom)).toEqual(odd.map((f) => [f.key, `v-${f.key}`]));
  });
});
