import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import type { ImportJob } from '../../../../widget/src/contract/zod/data';
import { csvLine, readHeader } from '../lib/csv-head';

const BASIC = [
  { key: 'name', label: 'Name' }, { key: 'email', label: 'Email' }, { key: 'phone', label: 'Phone' },
  { key: 'customerId', label: 'Customer id' }, { key: 'timezone', label: 'Time zone' }, { key: 'tags', label: 'Tags (separated by ;)' }, { key: 'note', label: 'Note' },
];
const MATCHES = [{ key: 'email', label: 'Email' }, { key: 'phone', label: 'Phone' }, { key: 'customerId', label: 'Customer id' }];
type Step = 'upload' | 'map' | 'checked' | 'applied' | 'undone';

/** The job's answer once it ends (the server's job status is the signal; one look every 300 ms). */
async function finished(get: (id: string) => Promise<ImportJob>, id: string): Promise<ImportJob> {
  for (;;) {
    const job = await get(id);
    if (job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Upload → map columns → dry run (every bad row listed, downloadable) → apply → undo. */
export function ImportWizard() {
  const { api } = useApp();
  const [step, setStep] = useState<Step>('upload');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [header, setHeader] = useState<{ cells: string[]; end: number } | null>(null);
  const [mapping, setMapping] = useState<string[]>([]);
  const [match, setMatch] = useState('email');
  const [customKeys, setCustomKeys] = useState<{ key: string; name: string }[]>([]);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [undo, setUndo] = useState<{ reverted: number; removed: number; kept: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { api.customFields.list().then((r) => setCustomKeys(r.items.map((f) => ({ key: f.key, name: f.name }))), () => undefined); }, [api]);

  const targets = [...BASIC, ...customKeys.map((f) => ({ key: f.key, label: `${f.name} (custom)` }))];
  const guess = (cell: string) => {
    const c = cell.trim().toLowerCase().replace(/^'/, '');
    return targets.find((t) => t.key.toLowerCase() === c || t.label.toLowerCase() === c)?.key ?? '';
  };
  // the custom fields may arrive after the file was read: guess again for the columns still unmapped
  useEffect(() => { if (header) setMapping((m) => m.map((v, i) => v || guess(header.cells[i]))); }, [customKeys]);
  const onFile = async (file: File | undefined) => {
    setError(null);
    if (!file) return;
    const t = await file.text();
    const h = readHeader(t);
    if (!h) return setError('This file is empty: it needs a header row and at least one contact.');
    setText(t); setFileName(file.name); setHeader(h); setMapping(h.cells.map(guess)); setStep('map');
  };
  const body = () => new Blob([csvLine(mapping), text.slice(header!.end)], { type: 'text/csv' });
  const run = async (dryRun: boolean) => {
    setBusy(true); setError(null);
    try {
      const { jobId } = await api.data.startImport(body(), match, dryRun);
      const done = await finished(api.data.importJob, jobId);
      setJob(done);
      setStep(dryRun ? 'checked' : 'applied');
    } catch (e) {
      setError((e as Error).message + ((e as { issues?: { message: string }[] }).issues?.length ? ': ' + (e as { issues: { message: string }[] }).issues.map((i) => i.message).join('; ') : ''));
    } finally { setBusy(false); }
  };
  const undoIt = async () => {
    setBusy(true); setError(null);
    try { setUndo(await api.data.undoImport(job!.id)); setStep('undone'); } catch (e) { setError((e as Error).message); } finally { setBusy(false); }
  };
  const downloadProblems = () => api.data.save(new Blob([csvLine(['row', 'column', 'code', 'message']), ...job!.result!.errors.map((e) => csvLine([e.row, e.column, e.code, e.message]))], { type: 'text/csv' }), 'import-problems.csv');
  const result = job?.result;
  const mapped = mapping.some(Boolean) && mapping.includes(match);

  return (
    <section class="page" aria-labelledby="import-title">
      <h1 id="import-title">Import contacts</h1>
      <ol class="steps" aria-label="Steps">
        {(['Upload', 'Map columns', 'Dry run', 'Apply'] as const).map((s, i) => <li key={s} aria-current={['upload', 'map', 'checked', 'applied'].indexOf(step === 'undone' ? 'applied' : step) === i ? 'step' : undefined}>{s}</li>)}
      </ol>
      {error && <p class="error" role="alert">{error}</p>}

      {step === 'upload' && (
        <div class="card panel">
          <label for="import-file">CSV file (UTF-8, a header row, up to 32 MB)</label>
          <input id="import-file" type="file" accept=".csv,text/csv" onChange={(e) => void onFile((e.currentTarget as HTMLInputElement).files?.[0])} />
        </div>
      )}

      {step === 'map' && header && (
        <div class="card panel">
          <p>{fileName}: choose where each column goes. Columns left on “Skip” are not imported.</p>
          <table class="table">
            <thead><tr><th scope="col">Column in the file</th><th scope="col">Import as</th></tr></thead>
            <tbody>
              {header.cells.map((cell, i) => (
                <tr key={i}>
                  <th scope="row">{cell || `(column ${i + 1})`}</th>
                  <td>
                    <select aria-label={`Import column ${cell || i + 1} as`} value={mapping[i]} onChange={(e) => { const m = [...mapping]; m[i] = (e.currentTarget as HTMLSelectElement).value; setMapping(m); }}>
                      <option value="">Skip</option>
                      {targets.map((t) => <option key={t.key} value={t.key}>{t.label}</option>)}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <label for="import-match">Match existing contacts by</label>
          <select id="import-match" value={match} onChange={(e) => setMatch((e.currentTarget as HTMLSelectElement).value)}>
            {MATCHES.map((m) => <option key={m.key} value={m.key}>{m.label}</option>)}
          </select>
          {!mapped && <p class="muted">Map a column to {MATCHES.find((m) => m.key === match)!.label} to match contacts by it.</p>}
          <div class="actions">
            <button type="button" class="btn" onClick={() => setStep('upload')}>Back</button>
            <button type="button" class="btn btn-primary" disabled={busy || !mapped} onClick={() => void run(true)}>{busy ? 'Checking…' : 'Dry run'}</button>
          </div>
        </div>
      )}

      {result && (step === 'checked' || step === 'applied' || step === 'undone') && (
        <div class="card panel" aria-live="polite">
          <h2>{step === 'checked' ? 'Dry run: nothing was changed yet' : step === 'applied' ? 'Imported' : 'Import undone'}</h2>
          <p data-testid="import-summary">{result.created} to create, {result.updated} to update, {result.unchanged} unchanged, {result.errorCount ?? result.errors.length} with problems.</p>
          {step === 'undone' && undo && <p data-testid="undo-summary">Put back {undo.reverted} contacts, removed {undo.removed} created ones{undo.kept ? `, kept ${undo.kept} that changed since` : ''}.</p>}
          {result.errors.length > 0 && (
            <>
              <table class="table" aria-label="Rows with problems">
                <thead><tr><th scope="col">Row</th><th scope="col">Column</th><th scope="col">Problem</th></tr></thead>
                <tbody>{result.errors.slice(0, 200).map((e, i) => <tr key={i}><td>{e.row}</td><td>{e.column ?? '—'}</td><td>{e.message}</td></tr>)}</tbody>
              </table>
              <button type="button" class="btn" onClick={downloadProblems}>Download the problems as CSV</button>
            </>
          )}
          <div class="actions">
            {step === 'checked' && <button type="button" class="btn" onClick={() => setStep('map')}>Back to mapping</button>}
            {step === 'checked' && <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void run(false)}>{busy ? 'Importing…' : 'Apply the import'}</button>}
            {step === 'applied' && <button type="button" class="btn btn-danger" disabled={busy} onClick={() => void undoIt()}>Undo this import</button>}
            {step !== 'checked' && <a class="btn" href="#/contacts">Go to contacts</a>}
          </div>
        </div>
      )}
    </section>
  );
}
