import { useState } from 'preact/hooks';

/** Copies text to the clipboard and says so (falls back to selecting the source element). */
export function CopyButton({ text, label, sourceId }: { text: string; label: string; sourceId?: string }) {
  const [done, setDone] = useState<'idle' | 'ok' | 'fail'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setDone('ok');
    } catch {
      const el = sourceId ? document.getElementById(sourceId) : null; // clipboard blocked (http, permissions): select it for Ctrl+C
      if (el) getSelection()?.selectAllChildren(el);
      setDone('fail');
    }
    setTimeout(() => setDone('idle'), 2500);
  }
  return (
    <span class="copy">
      <button type="button" class="btn btn-small" onClick={copy}>{label}</button>
      <span class="copy-status" role="status">{done === 'ok' ? 'Copied' : done === 'fail' ? 'Selected — press Ctrl+C' : ''}</span>
    </span>
  );
}
