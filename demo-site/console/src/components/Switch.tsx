/** An on/off switch (role=switch: Space or Enter toggles) with its label beside it. */
export function Switch({ id, label, checked, onChange, disabled }: { id: string; label: string; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean }) {
  return (
    <div class="switch-row">
      <button type="button" role="switch" class="switch" aria-checked={checked} aria-labelledby={`${id}-label`} disabled={disabled} onClick={() => onChange(!checked)}>
        <span class="switch-track" aria-hidden="true"><span class="switch-thumb" /></span><span class="switch-text">{checked ? 'On' : 'Off'}</span>
      </button>
      <span id={`${id}-label`} class="strong">{label}</span>
    </div>
  );
}
