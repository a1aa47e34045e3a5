// Item 1: the demo login (on by default) must never be a userHash oracle for real customers: it signs only
// demo-* ids, so nobody can mint a hash for an existing customer and take it over.
import { expect, it } from 'vitest';
import { userHashFor } from '../../../server-stub/src/domain/identity.js';
import { contactRows } from './lib/db-snapshot.js';
import { createHarness } from './lib/in-process.js';

it('with the default configuration, nobody can mint a valid userHash for an existing customer and take it over', async () => {
  const h = await createHarness(); // createApp's default: demo routes on, as `npm start` runs it
  try {
    const owner = await h.api.session();
    await h.api.sync(owner.token, [{ type: 'identify', customerId: 'bank-customer-1', userHash: userHashFor(h.secret, 'bank-customer-1'), name: 'Real Owner' }, { type: 'message', text: 'my account number is 1234' }]);
    const before = contactRows(h.dataDir, owner.contact.id);
    // the attacker asks the server itself to sign the victim's id
    const minted = await h.api.call('POST', '/demo/login', { customerId: 'bank-customer-1' });
    const attacker = await h.api.session();
    const r = await h.api.sync(attacker.token, [{ type: 'identify', customerId: 'bank-customer-1', userHash: minted.json?.userHash }]);
    const history = await h.api.call('GET', '/v1/messages', undefined, attacker.token);
    expect(history.text).not.toContain('my account number');
    expect(r.json.contact.id).not.toBe(owner.contact.id);
    expect(contactRows(h.dataDir, owner.contact.id).rows.contact).toEqual(before.rows.contact);
    expect(minted.status).toBe(403);
    expect(minted.json.error.code).toBe('demo_only');
  } finally {
    await h.close();
  }
});
