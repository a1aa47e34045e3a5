import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import type { Route } from '../lib/hash-route';

/** Saved segments in the sidebar, each with its live count; screens announce a change with SEGMENTS_CHANGED. */
export const SEGMENTS_CHANGED = 'chative:segments-changed';

export function SegmentNav({ route }: { route: Route }) {
  const { api } = useApp();
  const [items, setItems] = useState<{ id: string; name: string; count: number }[] | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => void api.search.segments().then((r) => live && setItems(r.items), (err) => console.warn('Chative console: segments not loaded', err));
    load();
    addEventListener(SEGMENTS_CHANGED, load);
    return () => { live = false; removeEventListener(SEGMENTS_CHANGED, load); };
  }, [api]);
  const current = route.name === 'segments' ? route.id : undefined;
  return (
    <>
      <p class="nav-heading" id="nav-segments">Segments</p>
      <ul class="nav-list" aria-labelledby="nav-segments">
        <li><a href="#/segments" class={route.name === 'segments' && !current ? 'nav-link active' : 'nav-link'} aria-current={route.name === 'segments' && !current ? 'page' : undefined}>All contacts (table)</a></li>
        {items?.map((s) => (
          <li key={s.id}>
            <a href={`#/segments/${encodeURIComponent(s.id)}`} class={current === s.id ? 'nav-link active' : 'nav-link'} aria-current={current === s.id ? 'page' : undefined}>
              {s.name} <span class="seg-count">{s.count.toLocaleString()}</span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
