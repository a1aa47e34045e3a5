import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../../app-context';
import { relativeTime } from '../../lib/format';

/** Settings → Data retention: erase guests who never wrote, N days after their last visit; and the last daily run. */
export function Retention() {
  const { api } = useApp();
  const [days, setDays] = useState('');
  const [lastRun, setLastRun] = useState<{ at: string; erased: number } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.data.retention().then((r) => { setDays(r.guestDays === null ? '' : String(r.guestDays)); setLastRun(r.lastRun); }, (e: Error) => setError(e.message));
  }, [api]);
  const save = (e: Event) => {
    e.preventDefault();
    setError(null); setSaved(null);
    const guestDays = days.trim() === '' ? null : Number(days);
    api.settings.patch({ retention: { guestDays } }).then(() => setSaved(guestDays === null ? 'Guests are kept.' : `Guests without messages are erased ${guestDays} days after their last visit.`), (err: Error) => setError(err.message));
  };
  return (
    <section class="page" aria-labelledby="retention-title">
      <h1 id="retention-title">Data retention</h1>
      <form class="card panel" onSubmit={save}>
        <label for="guest-days">Erase guests who never sent a message after this many days without a visit (empty: keep them)</label>
        <input id="guest-days" type="number" min={1} max={3650} inputMode="numeric" value={days} onInput={(e) => setDays((e.currentTarget as HTMLInputElement).value)} aria-describedby={error ? 'retention-error' : undefined} />
        <div class="actions"><button type="submit" class="btn btn-primary">Save</button></div>
        {saved && <p role="status">{saved}</p>}
        {error && <p id="retention-error" class="error" role="alert">{error}</p>}
      </form>
      <p class="muted" data-testid="retention-last-run">{lastRun ? `Last run ${relativeTime(lastRun.at).toLowerCase()}: ${lastRun.erased} guest${lastRun.erased === 1 ? '' : 's'} erased.` : 'Not run yet: the check runs daily once a number of days is set.'}</p>
    </section>
  );
}
