// The pre-chat identification form: the site's fields, labels visible, errors inline per field
// (ours first, then the server's verdict by issues[].path) and summarised politely for screen readers.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FormField } from '../../contract/schemas';
import { own, validateForm, type FormErrors, type FormValues, type LeadFields } from '../../contract/form';
import type { Strings } from '../i18n';

export interface PreChatProps {
  fields: FormField[];
  emailOrPhone: boolean;
  strings: Strings;
  serverError: string | null;
  /** The server's refusal by field key; the form comes back with it and with what was typed. */
  serverIssues?: Record<string, string>;
  initialValues?: FormValues | null;
  onSubmit: (event: LeadFields, values: FormValues) => void;
}

const asErrors = (issues: Record<string, string> = {}): FormErrors =>
  Object.fromEntries(Object.entries(issues).map(([k, m]) => [k, [m]]));

export function PreChat({ fields: configured, emailOrPhone, strings, serverError, serverIssues, initialValues, onSubmit }: PreChatProps) {
  const [values, setValues] = useState<FormValues>(initialValues || {});
  const [errors, setErrors] = useState<FormErrors>(() => asErrors(serverIssues));
  const [summary, setSummary] = useState('');
  const form = useRef<HTMLFormElement>(null);
  // Name, Email and Phone in the visitor's language; custom fields keep the names the site gave them.
  const fields = configured.map((f) => ({ ...f, label: f.custom ? f.label : own(strings.fieldLabels, f.key) || f.label }));
  // The server's verdict lands on its fields; what names no field of this form stays in the summary.
  const refused = fields.filter((f) => serverIssues && own(serverIssues, f.key));
  useEffect(() => {
    if (!serverIssues || !Object.keys(serverIssues).length) return;
    setErrors(asErrors(serverIssues));
    if (initialValues) setValues(initialValues);
    setSummary(refused.length ? strings.errorSummary(refused.length) : '');
  }, [serverIssues]);
  useEffect(() => {
    // opening the chat lands in the first field; a refused form in the first field the server refused
    const first = refused[0] && form.current?.querySelector<HTMLElement>('#chative-f-' + refused[0].key);
    (first || form.current?.querySelector('input'))?.focus();
  }, []);

  function submit(e: Event) {
    e.preventDefault();
    const outcome = validateForm(fields, values, strings, emailOrPhone);
    if (!outcome.ok) {
      setErrors(outcome.fieldErrors);
      const bad = fields.filter((f) => own(outcome.fieldErrors, f.key)?.length);
      setSummary(strings.errorSummary(bad.length));
      const first = bad[0] && (e.currentTarget as HTMLFormElement).querySelector<HTMLElement>('#chative-f-' + bad[0].key);
      first?.focus();
      return;
    }
    setErrors({});
    setSummary('');
    onSubmit(outcome.event, values);
  }

  return (
    <form noValidate onSubmit={submit} ref={form}>
      <p class="hint">{strings.formIntro}</p>
      {fields.map((f) => {
        const id = 'chative-f-' + f.key;
        const err = own(errors, f.key)?.[0];
        const common = {
          id, name: f.key,
          'aria-invalid': err ? ('true' as const) : undefined,
          'aria-describedby': err ? id + '-err' : undefined,
          'aria-required': f.required ? ('true' as const) : undefined,
        };
        return (
          <div key={f.key}>
            {f.type === 'boolean' ? (
              <label>
                <input {...common} type="checkbox" checked={own(values, f.key) === true}
                  onChange={(e) => setValues({ ...values, [f.key]: (e.currentTarget as HTMLInputElement).checked })} /> {f.label}
              </label>
            ) : (
              <>
                <label for={id}>{f.label} {f.required && <span class="req">{strings.requiredMark}</span>}</label>
                <input {...common}
                  type={(f.type === 'email' || f.type === 'tel' || f.type === 'date' ? f.type : 'text') as 'text'}
                  inputMode={f.type === 'number' ? ('decimal' as const) : undefined}
                  autocomplete={f.key === 'name' ? 'name' : f.key === 'email' ? 'email' : f.key === 'phone' ? 'tel' : 'off'}
                  value={(own(values, f.key) as string) || ''}
                  onInput={(e) => setValues({ ...values, [f.key]: (e.currentTarget as HTMLInputElement).value })} />
              </>
            )}
            {err && <p class="err" id={id + '-err'}>{err}</p>}
          </div>
        );
      })}
      <p class="summary" role="status" aria-live="polite">{summary || (refused.length ? '' : serverError) || ''}</p>
      <button type="submit" class="submit">{strings.start}</button>
    </form>
  );
}
