import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../../app-context';
import { ApiError } from '../../api';
import type { CustomField, Settings } from '../../api/schemas';
import { CopyButton } from '../../components/CopyButton';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState, Loading } from '../../components/States';
import { embedSnippet, userHashExample } from '../../lib/snippet';
import { errorText, invalidProps, issuesByField } from '../../lib/issues';

// the console shows the name the browser knows for a code, so a typo (GR for GB) is visible before saving
const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;
const countryName = (code: string | null | undefined) => {
  if (!code || !/^[A-Z]{2}$/.test(code)) return '';
  const name = regionNames?.of(code);
  return name && name !== code ? name : '';
};

/** The widget's languages besides English (whose greeting is `greeting`). */
const LANGUAGES = [['vi', 'Vietnamese'], ['fr', 'French'], ['es', 'Spanish'], ['de', 'German'], ['pt', 'Portuguese']];

const BUILT_IN = [
  { key: 'name', label: 'Name', type: 'text' },
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'phone', label: 'Phone', type: 'tel' },
];

/** Settings → Widget: pre-chat form, look, identity verification, allowed origins, embed snippet. */
export function Widget() {
  const { api } = useApp();
  const [s, setS] = useState<Settings | null>(null);
  const [fields, setFields] = useState<CustomField[]>([]);
  const [origins, setOrigins] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saveMsg, setSaveMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [showSecret, setShowSecret] = useState(false);
  const [rotating, setRotating] = useState(false);

  const load = () => {
    setError(null);
    api.settings.get().then((x) => { setS(x); setOrigins(x.allowedOrigins.join('\n')); }, setError);
    api.customFields.list().then((r) => setFields(r.items), () => {});
  };
  useEffect(load, [api]);
  if (error) return <section class="page"><h1>Widget</h1><ErrorState error={error} onRetry={load} /></section>;
  if (!s) return <section class="page"><Loading label="Loading settings…" /></section>;

  const formField = (key: string) => s.form.fields.find((f) => f.key === key);
  // The form lists built-in and custom fields alike as {key, required}; order is the widget's order.
  const setFormField = (key: string, patch: { required: boolean } | null) => {
    const fields = patch === null ? s.form.fields.filter((f) => f.key !== key)
      : formField(key) ? s.form.fields.map((f) => (f.key === key ? { ...f, ...patch } : f)) : [...s.form.fields, { key, ...patch }];
    setS({ ...s, form: { ...s.form, fields } });
  };

  async function save(e: Event) {
    e.preventDefault();
    setSaveMsg(null);
    setIssues({});
    const allowedOrigins = origins.split(/[\s,]+/).map((o) => o.trim()).filter(Boolean);
    try {
      const form = { enabled: s!.form.enabled, emailOrPhone: s!.form.emailOrPhone, fields: s!.form.fields.map((f) => ({ key: f.key, required: !!f.required })) };
      const defaultCountry = s!.defaultCountry?.trim().toUpperCase() || null;
      // empty greetings are left out: the widget then shows its translated default
      const greetings = Object.fromEntries(Object.entries(s!.greetings ?? {}).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
      const next = await api.settings.patch({ color: s!.color, greeting: s!.greeting, verification: s!.verification, allowedOrigins, form, defaultCountry, ...(s!.position ? { position: s!.position } : {}),
        name: s!.name ?? 'Support', theme: s!.theme ?? 'auto', sound: !!s!.sound, greetings });
      setS(next); setOrigins(next.allowedOrigins.join('\n'));
      setSaveMsg({ ok: true, text: 'Settings saved. The widget uses them on its next load.' });
    } catch (err) {
      // each message under the field the server named; an origin's message says which entry it means
      const byField = issuesByField(err);
      const badOrigin = err instanceof ApiError ? err.issues.find((i) => i.path[0] === 'allowedOrigins' && typeof i.path[1] === 'number') : undefined;
      if (badOrigin && byField.allowedOrigins) byField.allowedOrigins = `“${allowedOrigins[badOrigin.path[1] as number]}”: ${byField.allowedOrigins}`;
      setIssues(byField);
      setSaveMsg({ ok: false, text: Object.keys(byField).length ? 'Nothing was saved: see the fields marked below.' : errorText(err, 'Could not save.') });
    }
  }

  async function rotate() {
    setRotating(false);
    try { const r = await api.settings.rotateSecret(); setS({ ...s!, secret: r.secret }); setShowSecret(true); setSaveMsg({ ok: true, text: 'New secret created. Update it on your server now: hashes made with the old one are refused.' }); }
    catch (err) { setSaveMsg({ ok: false, text: err instanceof ApiError ? err.message : 'Could not rotate the secret.' }); }
  }

  const snippet = embedSnippet(location.origin);
  // a secret pinned by the environment cannot be rotated here: the next restart would undo it (issue 15)
  const envSecret = s.secretSource === 'environment';
  return (
    <section class="page" aria-labelledby="widget-title">
      <header class="page-head"><div>
        <p class="eyebrow">Settings</p>
        <h1 id="widget-title">Widget</h1>
        <p class="muted">How the chat looks on your site, what it asks visitors, and how your pages prove who a customer is.</p>
      </div></header>

      <form onSubmit={save} class="settings-stack" aria-label="Widget settings">
        <div class="card panel" role="group" aria-labelledby="wg-1">
          <h2 id="wg-1">Pre-chat form</h2>
          <label class="check"><input type="checkbox" checked={s.form.enabled} onChange={(e) => setS({ ...s, form: { ...s.form, enabled: e.currentTarget.checked } })} /> Ask visitors to introduce themselves before chatting</label>
          <table class="table table-compact" aria-label="Form fields">
            <thead><tr><th scope="col">Field</th><th scope="col">Ask</th><th scope="col">Required</th></tr></thead>
            <tbody>
              {[...BUILT_IN.map((b) => ({ key: b.key, label: b.label, custom: false })), ...fields.map((f) => ({ key: f.key, label: f.name, custom: true }))].map((row) => {
                const f = formField(row.key);
                return (
                  <tr key={row.key}>
                    <td>{row.label}{row.custom && <> <span class="type-hint">custom</span></>}</td>
                    <td><input type="checkbox" aria-label={`Ask ${row.label}`} checked={!!f} onChange={(e) => setFormField(row.key, e.currentTarget.checked ? { required: false } : null)} /></td>
                    <td><input type="checkbox" aria-label={`${row.label} required`} disabled={!f} checked={!!f?.required} onChange={(e) => setFormField(row.key, { required: e.currentTarget.checked })} /></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {issues.form && <p class="field-error">{issues.form}</p>}
          <label class="check"><input type="checkbox" checked={s.form.emailOrPhone} onChange={(e) => setS({ ...s, form: { ...s.form, emailOrPhone: e.currentTarget.checked } })} /> Require an email <em>or</em> a phone (either one is enough)</label>
          <div class="form-row">
            <label class="field-label" for="w-country">Default country for phones</label>
            <div class="input-row">
              <input id="w-country" class="input input-short mono" maxLength={2} autoComplete="off" placeholder="GB"
                value={s.defaultCountry ?? ''} onInput={(e) => setS({ ...s, defaultCountry: e.currentTarget.value.toUpperCase() })}
                {...invalidProps('w-country', issues.defaultCountry)} aria-describedby={issues.defaultCountry ? 'w-country-err w-country-hint' : 'w-country-hint'} />
              {countryName(s.defaultCountry) && <span class="cell-muted">{countryName(s.defaultCountry)}</span>}
            </div>
            {issues.defaultCountry && <p id="w-country-err" class="field-error">{issues.defaultCountry}</p>}
            <p id="w-country-hint" class="hint">Two-letter ISO code. A number typed without a country code is read in the visitor’s country, guessed from their time zone; when the time zone names none (UTC, say), in this one. Empty: such numbers are refused with a request for the country code.</p>
          </div>
        </div>

        <div class="card panel" role="group" aria-labelledby="wg-2">
          <h2 id="wg-2">Appearance</h2>
          <div class="form-grid">
            <div class="form-row">
              <label class="field-label" for="w-color">Colour</label>
              <div class="input-row"><input id="w-color" type="color" class="color" value={s.color} onInput={(e) => setS({ ...s, color: e.currentTarget.value })} {...invalidProps('w-color', issues.color)} /><code>{s.color}</code></div>
              {issues.color && <p id="w-color-err" class="field-error">{issues.color}</p>}
            </div>
            <div class="form-row">
              <label class="field-label" for="w-position">Position</label>
              <select id="w-position" class="input" value={s.position} onChange={(e) => setS({ ...s, position: e.currentTarget.value === 'left' ? 'left' : 'right' })}>
                <option value="right">Bottom right</option><option value="left">Bottom left</option>
              </select>
            </div>
          </div>
          <div class="form-row">
            <label class="field-label" for="w-greeting">Greeting</label>
            <input id="w-greeting" class="input" value={s.greeting} onInput={(e) => setS({ ...s, greeting: e.currentTarget.value })} {...invalidProps('w-greeting', issues.greeting)} />
            {issues.greeting && <p id="w-greeting-err" class="field-error">{issues.greeting}</p>}
          </div>
          <details class="form-row">
            <summary>Greeting in other languages</summary>
            <p class="hint">Visitors see the greeting in their language; left empty, the widget's own translation of “Hi! How can we help?”.</p>
            {LANGUAGES.map(([code, label]) => (
              <div class="form-row" key={code}>
                <label class="field-label" for={`w-greeting-${code}`}>Greeting ({label})</label>
                <input id={`w-greeting-${code}`} class="input" lang={code} value={s.greetings?.[code] ?? ''}
                  onInput={(e) => setS({ ...s, greetings: { ...(s.greetings ?? {}), [code]: e.currentTarget.value } })} />
              </div>
            ))}
          </details>
          <div class="form-grid">
            <div class="form-row">
              <label class="field-label" for="w-name">Team name</label>
              <input id="w-name" class="input" aria-describedby="w-name-hint" value={s.name ?? 'Support'} onInput={(e) => setS({ ...s, name: e.currentTarget.value })} />
              <p id="w-name-hint" class="hint">Shown on your replies in the widget.</p>
            </div>
            <div class="form-row">
              <label class="field-label" for="w-theme">Theme</label>
              <select id="w-theme" class="input" value={s.theme ?? 'auto'} onChange={(e) => setS({ ...s, theme: e.currentTarget.value as 'auto' | 'light' | 'dark' })}>
                <option value="auto">Follow the visitor’s device</option><option value="light">Light</option><option value="dark">Dark</option>
              </select>
            </div>
          </div>
          <div class="form-row">
            <label><input type="checkbox" checked={!!s.sound} onChange={(e) => setS({ ...s, sound: e.currentTarget.checked })} /> Chime when you reply while the visitor’s chat is closed</label>
          </div>
        </div>

        <div class="card panel" role="group" aria-labelledby="wg-3">
          <h2 id="wg-3">Identity verification</h2>
          <div class="switch-row">
            <button type="button" role="switch" class="switch" aria-checked={s.verification} aria-labelledby="w-verif-label" aria-describedby="w-verif-hint" onClick={() => setS({ ...s, verification: !s.verification })}>
              <span class="switch-track" aria-hidden="true"><span class="switch-thumb" /></span><span class="switch-text">{s.verification ? 'On' : 'Off'}</span>
            </button>
            <span id="w-verif-label" class="strong">Require a userHash for Chative.identify</span>
          </div>
          <p id="w-verif-hint" class="hint">{s.verification ? 'Recommended. Nobody can pose as one of your customers without your server’s signature.' : 'Off: identify is accepted unverified and never merges into or reveals an existing customer.'}</p>
          <div class="form-row">
            <label class="field-label" for="w-secret">Site secret</label>
            <div class="input-row">
              <input id="w-secret" class="input mono" readOnly type={(showSecret ? 'text' : 'password') as 'text'} value={s.secret ?? ''} />
              <button type="button" class="btn btn-small" onClick={() => setShowSecret(!showSecret)} aria-pressed={showSecret}>{showSecret ? 'Hide' : 'Show'}</button>
              <CopyButton text={s.secret ?? ''} label="Copy secret" />
              {!envSecret && <button type="button" class="btn btn-small btn-danger-ghost" onClick={() => setRotating(true)}>Rotate…</button>}
            </div>
            {envSecret && <p class="hint" id="w-secret-env">Managed by the environment: <code>CHATIVE_SITE_SECRET</code> sets this secret. To rotate it, put a new secret in that variable and restart the server.</p>}
          </div>
          <p class="field-label" id="hash-example-label">Compute userHash on your server</p>
          <pre class="code" id="hash-example" aria-labelledby="hash-example-label" tabIndex={0}><code>{userHashExample()}</code></pre>
          <CopyButton text={userHashExample()} label="Copy example" sourceId="hash-example" />
        </div>

        <div class="card panel" role="group" aria-labelledby="wg-4">
          <h2 id="wg-4">Allowed origins</h2>
          <label class="field-label" for="w-origins">Sites allowed to load the widget (one per line; <code>*</code> allowed in a port, e.g. <code>http://localhost:*</code>)</label>
          <textarea id="w-origins" class="input textarea mono" rows={3} placeholder="Empty = this server’s own origin and http://localhost:* (the default)" value={origins} onInput={(e) => setOrigins(e.currentTarget.value)} {...invalidProps('w-origins', issues.allowedOrigins)} />
          {issues.allowedOrigins && <p id="w-origins-err" class="field-error">{issues.allowedOrigins}</p>}
        </div>

        <div class="save-bar">
          <button type="submit" class="btn btn-primary">Save settings</button>
          {saveMsg && <p class={saveMsg.ok ? 'save-ok' : 'field-error'} role={saveMsg.ok ? 'status' : 'alert'}>{saveMsg.text}</p>}
        </div>
      </form>

      <section class="card panel" aria-labelledby="snippet-title">
        <div class="panel-head"><h2 id="snippet-title">Embed snippet</h2><CopyButton text={snippet} label="Copy snippet" sourceId="snippet" /></div>
        <p class="muted">Paste it before <code>&lt;/body&gt;</code> on every page. It defines <code>Chative</code> at once, so your page can call <code>Chative.identify()</code> on the next line, and adds <code>widget.js</code> after your page's <code>load</code> event, so the chat never delays it.</p>
        <pre class="code" id="snippet" tabIndex={0} aria-labelledby="snippet-title"><code>{snippet}</code></pre>
      </section>
      {rotating && (
        <ConfirmDialog title="Rotate the site secret?" confirmLabel="Rotate secret" onCancel={() => setRotating(false)} onConfirm={rotate}>
          <p>Your server must use the new secret right away: every <code>userHash</code> made with the old one will be refused.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
