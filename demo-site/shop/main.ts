import { session, signCustomer } from './demo-login';

type ChativeApi = {
  identify(id: string, o: Record<string, unknown>): Promise<{ type: string }>;
  reset(): Promise<void>;
  on(ev: string, fn: (x: any) => void): void;
  getContact(): Promise<{ type: string; name: string | null }>;
};
type EarlyEntry = { label: string; state: string; detail: string };
const w = window as unknown as { Chative: ChativeApi; __chativeEarly?: EarlyEntry[] };
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const status = $('account-status');
const result = $('login-result');
const loginBtn = $<HTMLButtonElement>('login');
const logoutBtn = $<HTMLButtonElement>('logout');

function showAccount() {
  const c = session.load();
  status.textContent = c ? `Logged in as ${c.name || c.customerId}` : 'Browsing as a guest';
  loginBtn.hidden = !!c;
  logoutBtn.hidden = !c;
}

async function logIn(body: { customerId: string; name?: string; email?: string }) {
  result.textContent = 'Signing in…';
  try {
    const signed = await signCustomer(body);
    session.save(signed);
    showAccount();
    const contact = await w.Chative.identify(signed.customerId, { userHash: signed.userHash, name: signed.name, email: signed.email });
    result.textContent = `Identified: this visitor is now a ${contact?.type ?? 'customer'}.`;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    result.textContent = `Could not log in: ${e.code ?? e.message ?? String(err)}`;
  }
}

loginBtn.addEventListener('click', () => { void logIn({ customerId: 'demo-ada', name: 'Ada Lovelace', email: 'ada@example.com' }); });
$('login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const f = new FormData(e.target as HTMLFormElement);
  const str = (k: string) => String(f.get(k) ?? '').trim() || undefined;
  void logIn({ customerId: str('customerId') ?? '', name: str('name'), email: str('email') });
});
logoutBtn.addEventListener('click', () => {
  session.clear();
  showAccount();
  w.Chative.reset().then(
    () => { result.textContent = 'Logged out: this browser is a fresh guest now.'; },
    (err: Error) => { result.textContent = `Logged out of the shop; the chat could not reset: ${err.message}`; },
  );
});

// Renders the early-call log as text (never HTML) and refreshes it as the promises settle.
function renderEarly() {
  const list = $('early-log');
  const entries = w.__chativeEarly ?? [];
  list.replaceChildren(...entries.map((e) => {
    const li = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = e.label;
    const state = document.createElement('span');
    state.className = `state state-${e.state}`;
    state.textContent = e.state + (e.detail ? ` — ${e.detail}` : '');
    li.append(code, ' ', state);
    return li;
  }));
  if (entries.some((e) => e.state === 'queued')) setTimeout(renderEarly, 250);
}

showAccount();
renderEarly();
