// The pre-chat identification form: the site's fields, labels visible, errors inline per field
// (ours first, then the server's verdict by issues[].path) and summarised politely for screen readers.
// A class component, like Chat: the window uses no hooks, so preact/hooks (~1 KB gzip) is not shipped.
import { Component } from 'preact';
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

interface PreChatState { values: FormValues; errors: FormErrors; summary: string }

export class PreChat extends Component<PreChatProps, PreChatState> {
  declare form: HTMLFormElement | null;

  constructor(props: PreChatProps) {
    super(props);
    this.state = { values: props.initialValues || {}, errors: {}, summary: '' };
    Object.assign(this.state, this.verdict());
  }
  /** Name, Email and Phone in the visitor's language; custom fields keep the names the site gave them. */
  fields() {
    const { fields, strings } = this.props;
    return fields.map((f) => ({ ...f, label: f.custom ? f.label : own(strings.fieldLabels, f.key) || f.label }));
  }
  /** The server's verdict lands on its fields; what names no field of this form stays in the summary. */
  refused() {
    const issues = this.props.serverIssues;
    return this.fields().filter((f) => issues && own(issues, f.key));
  }
  /** The form came back refused: the server's errors, what was typed, the summary. */
  verdict(): Partial<PreChatState> {
    const { serverIssues, initialValues, strings } = this.props;
    if (!serverIssues || !Object.keys(serverIssues).length) return {};
    const refused = this.refused().length;
    return { errors: asErrors(serverIssues), ...(initialValues ? { values: initialValues } : {}), summary: refused ? strings.errorSummary(refused) : '' };
  }
  override componentDidMount() {
    // opening the chat lands in the first field; a refused form in the first field the server refused
    const refused = this.refused()[0];
    const first = refused && this.form?.querySelector<HTMLElement>('#chative-f-' + refused.key);
    (first || this.form?.querySelector('input'))?.focus();
  }
  override componentDidUpdate(prev: PreChatProps) {
    if (prev.serverIssues !== this.props.serverIssues) this.setState(this.verdict());
  }

  submit(e: Event) {
    e.preventDefault();
    const { strings, emailOrPhone, onSubmit } = this.props;
    const { values } = this.state;
    const fields = this.fields();
    const outcome = validateForm(fields, values, strings, emailOrPhone);
    if (!outcome.ok) {
      const bad = fields.filter((f) => own(outcome.fieldErrors, f.key)?.length);
      this.setState({ errors: outcome.fieldErrors, summary: strings.errorSummary(bad.length) });
      const first = bad[0] && (e.currentTarget as HTMLFormElement).querySelector<HTMLElement>('#chative-f-' + bad[0].key);
      first?.focus();
      return;
    }
    this.setState({ errors: {}, summary: '' });
    onSubmit(outcome.event, values);
  }

  render({ strings, serverError }: PreChatProps, { values, errors, summary }: PreChatState) {
    const fields = this.fields();
    const refused = this.refused();
    const setValues = (v: FormValues) => this.setState({ values: v });
    return (
      <form noValidate onSubmit={(e) => this.submit(e)} ref={(e) => { this.form = e; }}>
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
}
