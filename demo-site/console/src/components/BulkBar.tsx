import { useState } from 'preact/hooks';
import { useApp } from '../app-context';
import type { BulkAction, ConditionGroup, Job } from '../api/search';
import type { CustomField } from '../api/schemas';
import { ApiError } from '../api/http';

/** `estimated`: `total` is the search's estimate (totalExact false); the job itself counts the exact set it acts on. */
type Props = { where?: ConditionGroup; segmentId?: string; total: number; estimated?: boolean; fields: CustomField[]; onDone: () => void };

/** "Apply to all N matching": one bulk job over everything the condition matches (not the page), with its progress. */
export function BulkBar({ where, segmentId, total, estimated = false, fields, onDone }: Props) {
  const about = estimated ? 'about ' : '';
  const { api } = useApp();
  const [kind, setKind] = useState<'addTag' | 'removeTag' | 'setField'>('addTag');
  const [tag, setTag] = useState('');
  const [fieldKey, setFieldKey] = useState('');
  const [fieldValue, setFieldValue] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const field = fields.find((f) => f.key === fieldKey);

  function action(): BulkAction | string {
    if (kind !== 'setField') return tag.trim() ? (kind === 'addTag' ? { addTag: tag.trim() } : { removeTag: tag.trim() }) : 'Enter a tag name.';
    if (!field) return 'Choose a field.';
    if (fieldValue === '') return { setField: { key: field.key, value: null } };
    const value = field.type === 'number' ? Number(fieldValue) : field.type === 'boolean' ? fieldValue === 'true' : fieldValue;
    return { setField: { key: field.key, value } };
  }

  async function run(e: Event) {
    e.preventDefault();
    const a = action();
    if (typeof a === 'string') return setError(a);
    setError(null);
    try {
      // the id makes a retried click the same job, never a second one
      const { jobId } = await api.search.bulk({ id: 'bulk-' + crypto.randomUUID(), where, segmentId, action: a });
      let j = await api.search.job(jobId);
      setJob(j);
      // progress comes from the job itself: poll until it says it finished
      while (j.status === 'running') {
        await new Promise((r) => setTimeout(r, 400));
        j = await api.search.job(jobId);
        setJob(j);
      }
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The action could not start.');
    }
  }

  const running = job?.status === 'running';
  return (
    <form class="card bulk-bar" aria-label="Bulk action" onSubmit={run}>
      <label class="field-label" for="bulk-kind">Apply to all {about}{total.toLocaleString()} matching</label>
      <div class="input-row">
        <select id="bulk-kind" class="input input-small" value={kind} onChange={(e) => setKind(e.currentTarget.value as typeof kind)}>
          <option value="addTag">Add tag</option>
          <option value="removeTag">Remove tag</option>
          <option value="setField">Set field</option>
        </select>
        {kind !== 'setField' ? (
          <><label for="bulk-tag" class="visually-hidden">Tag</label><input id="bulk-tag" class="input input-small" placeholder="Tag name" value={tag} onInput={(e) => setTag(e.currentTarget.value)} /></>
        ) : (
          <>
            <label for="bulk-field" class="visually-hidden">Field</label>
            <select id="bulk-field" class="input input-small" value={fieldKey} onChange={(e) => { setFieldKey(e.currentTarget.value); setFieldValue(''); }}>
              <option value="">Choose a field…</option>
              {fields.map((f) => <option key={f.key} value={f.key}>{f.name}</option>)}
            </select>
            {field && (field.type === 'boolean'
              ? <><label for="bulk-value" class="visually-hidden">Value</label><select id="bulk-value" class="input input-small" value={fieldValue} onChange={(e) => setFieldValue(e.currentTarget.value)}><option value="">(clear)</option><option value="true">Yes</option><option value="false">No</option></select></>
              : <><label for="bulk-value" class="visually-hidden">Value</label><input id="bulk-value" class="input input-small" placeholder="Value (empty clears)" type={(field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text') as 'text'} value={fieldValue} onInput={(e) => setFieldValue(e.currentTarget.value)} /></>)}
          </>
        )}
        <button class="btn btn-primary btn-small" type="submit" disabled={running || total === 0}>Apply to {about}{total.toLocaleString()}</button>
      </div>
      {error && <p class="field-error" role="alert">{error}</p>}
      {job && (
        <div class="bulk-progress" role="status">
          <progress max={Math.max(job.total, 1)} value={job.done} aria-label="Bulk action progress" />
          <span>{job.status === 'running' ? `Working… ${job.done.toLocaleString()} of ${job.total.toLocaleString()}` : job.status === 'done' ? `Done: ${job.total.toLocaleString()} contacts${job.errorCount ? `, ${job.errorCount} not changed` : ''}` : 'The job stopped on an error.'}</span>
        </div>
      )}
    </form>
  );
}
