// The console places the server's verdict by issues[].path and says conflicts in plain words.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../demo-site/console/src/api/http';
import { conflictText, errorText, invalidProps, issuesByField } from '../../../demo-site/console/src/lib/issues';
import { deriveFieldKey } from '../../../server-stub/src/domain/custom-fields';

describe('issuesByField', () => {
  const err = new ApiError(400, 'validation_failed', 'phone: not a valid phone number', [
    { path: ['phone'], message: 'not a valid phone number' },
    { path: ['custom', 'seats'], message: 'Seats: expected a number' },
    { path: ['phone'], message: 'a second word' },
  ]);
  it('keeps the first message per field, as a sentence', () => {
    expect(issuesByField(err)).toEqual({ phone: 'Not a valid phone number.', custom: 'Seats: expected a number.' });
    expect(issuesByField(err, (p) => (p[0] === 'custom' ? String(p[1]) : undefined))).toEqual({ seats: 'Seats: expected a number.' });
  });
  it('has nothing to place for a network failure, and says it in its own words', () => {
    expect(issuesByField(new Error('offline'))).toEqual({});
    expect(errorText(new Error('offline'), 'Could not save.')).toBe('Could not save.');
    expect(errorText(err, 'x')).toBe('Phone: not a valid phone number.');
  });
  it('ties a message to its input only when there is one', () => {
    expect(invalidProps('basic-phone', 'Bad.')).toEqual({ 'aria-invalid': true, 'aria-describedby': 'basic-phone-err' });
    expect(invalidProps('basic-phone', null)).toEqual({});
  });
  it('says "already exists" for a 409 only', () => {
    expect(conflictText(new ApiError(409, 'field_exists', 'a custom field "plan" already exists'), 'A field with the key “plan”')).toBe('A field with the key “plan” already exists. Choose another name.');
    expect(conflictText(err, 'A tag')).toBeNull();
  });
});

describe('the key preview is the server rule', () => {
  it('folds accents instead of turning them into _', () => {
    expect(deriveFieldKey('Café préféré')).toBe('cafe_prefere');
    expect(deriveFieldKey('Renewal date')).toBe('renewal_date');
    expect(deriveFieldKey('  Plan / Tier!! ')).toBe('plan_tier');
  });
});
