// A new agent message while the tab is hidden shows a count in the page title ("(2) Shop — Home"),
// gone when the visitor comes back. Tab titles are what people scan; the badge is off-screen then.
type On = (event: string, fn: (p: any) => void) => void;

export function countInTitle(on: On, doc: Document = document): void {
  let n = 0;
  let base = '';
  on('message', (m: { author: string }) => {
    if (m.author !== 'agent' || !doc.hidden) return;
    if (!n) base = doc.title;
    doc.title = `(${++n}) ${base}`;
  });
  doc.addEventListener('visibilitychange', () => {
    if (doc.hidden || !n) return;
    if (doc.title === `(${n}) ${base}`) doc.title = base; // unless the page changed its title meanwhile
    n = 0;
  });
}
