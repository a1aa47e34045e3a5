// The pre-chat identification form: the site's fields, labels visible, errors inline per field
// (z.flattenError) and summarised politely for screen readers.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FormField } from '../../contract/schemas';
import { own, validateForm, type FormErrors, type FormValues, type LeadFields } from '../../contract/form';
import type { Strings } from '../i18n';

export interface PreChatProps {
  fields: FormField[];
  emailOrPhone: boolean;
  strings: Strings;
  serverError: string | null;
  onSubmit: (event: LeadFields) => void;
}

export function PreChat({ fields: configured, emailOrPhone, strings, serverError, onSubmit }: PreChatProps) {
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<FormErrors>({});
  const [summary, setSummary] = useState('');
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => { form.current?.querySelector('input')?.focus(); }, []); // opening the chat lands in the first field
  // Name, Email and Phone in the visitor's language; custom fields keep the names the site gave them.
  const fields = configured.map((f) => ({ ...f, label: f.custom ? f.label : own(strings.fieldLabels, f.key) || f.label }));

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
    onSubmit(outcome.event);
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
      <p class="summary" role="status" aria-live="polite">{summary || serverError || ''}</p>
      <button type="submit" class="submit">{strings.start}</button>
    </form>
  );
}
