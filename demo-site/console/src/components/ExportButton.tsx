import { useState } from 'preact/hooks';
import { useApp } from '../app-context';
import type { ContactFilters } from '../api/contacts';

/** Downloads the list with the filters on screen as CSV (the whole list, not the page), and links to the import. */
export function ExportButton({ filters }: { filters: ContactFilters }) {
  const { api } = useApp();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const run = () => {
    setState({ busy: true, error: null });
    api.data.exportCsv(filters).then(() => setState({ busy: false, error: null }), (e: Error) => setState({ busy: false, error: e.message }));
  };
  return (
    <div class="actions">
      <a class="btn" href="#/import">Import CSV</a>
      <button type="button" class="btn" onClick={run} disabled={state.busy} aria-describedby={state.error ? 'export-error' : undefined}>
        {state.busy ? 'Exporting…' : 'Export CSV'}
      </button>
      {state.error && <p id="export-error" class="error" role="alert">{state.error}</p>}
    </div>
  );
}
