// What a real host backend does: sign the customer ID with the site secret (here the demo route does it).

export type SignedCustomer = { customerId: string; userHash: string; name?: string; email?: string };
const KEY = 'northwind.customer';

/** Asks the demo server route to sign the customer, as the shop's own backend would. */
export async function signCustomer(body: { customerId: string; name?: string; email?: string }, fetchFn: typeof fetch = fetch): Promise<SignedCustomer> {
  const res = await fetchFn('/demo/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error(data?.error?.message ?? `The demo login route answered ${res.status}.`);
  return data as SignedCustomer;
}

/** The shop's "session": kept so the next page load identifies before widget.js arrives. */
export const session = {
  load(): SignedCustomer | null {
    try { return JSON.parse(localStorage.getItem(KEY) ?? 'null'); } catch { return null; } // blocked storage = logged out
  },
  save(c: SignedCustomer) { try { localStorage.setItem(KEY, JSON.stringify(c)); } catch { /* session-only login */ } },
  clear() { try { localStorage.removeItem(KEY); } catch { /* nothing stored */ } },
};
