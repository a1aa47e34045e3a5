import { invalidProps } from '../lib/issues';

/** A labelled input with its hint and the server's message for it (aria-invalid / aria-describedby wired). */
export function Field({ id, label, hint, error, value, onInput, type = 'text', autoComplete, placeholder }: {
  id: string; label: string; hint?: string; error?: string; value: string; onInput: (v: string) => void;
  type?: 'text' | 'email' | 'password'; autoComplete?: string; placeholder?: string;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="form-row">
      <label class="field-label" for={id}>{label}</label>
      <input id={id} class="input" type={type as 'text'} autoComplete={autoComplete} placeholder={placeholder} value={value}
        onInput={(e) => onInput(e.currentTarget.value)} {...invalidProps(id, error)} aria-describedby={described} />
      {hint && <p id={`${id}-hint`} class="hint">{hint}</p>}
      {error && <p id={`${id}-err`} class="field-error" role="alert">{error}</p>}
    </div>
  );
}
