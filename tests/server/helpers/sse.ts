// Reads an SSE stream over fetch (as the widget does: EventSource cannot send Authorization).
export type SseEvent = { id?: string; event: string; data: any };

export function openStream(url: string, headers: Record<string, string>) {
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  const ctrl = new AbortController();
  let ended = false;
  let status = 0;
  let markOpened: (status: number) => void = () => undefined;
  const opened = new Promise<number>((r) => (markOpened = r));
  const done = (async () => {
    const res = await fetch(url, { headers, signal: ctrl.signal }).catch((err: unknown) => { markOpened(0); throw err; });
    status = res.status;
    markOpened(status);
    if (!res.ok || !res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev: SseEvent = { event: 'message', data: null };
          let data = '';
          let isComment = true;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            isComment = false;
            const [k, ...rest] = line.split(':');
            const v = rest.join(':').replace(/^ /, '');
            if (k === 'id') ev.id = v;
            else if (k === 'event') ev.event = v;
            else if (k === 'data') data += v;
          }
          if (isComment) continue;
          ev.data = data ? JSON.parse(data) : null;
          events.push(ev);
          waiters.splice(0).forEach((w) => w());
        }
      }
    } catch {
      // aborted by the test
    } finally {
      ended = true;
      waiters.splice(0).forEach((w) => w());
    }
  })();
  return {
    events,
    get ended() {
      return ended;
    },
    get status() {
      return status;
    },
    /**
     * Resolves with the status once the answer's headers arrived. The server subscribes to the hub before it
     * answers (routes/stream.ts), so from then on nothing published can be missed: wait on this, not on time.
     */
    opened,
    /** Resolves when pred holds over the events received so far. */
    async until(pred: (evs: SseEvent[]) => boolean, timeoutMs = 10_000) {
      const t0 = Date.now();
      while (!pred(events)) {
        if (ended) throw new Error(`stream ended before condition; got ${JSON.stringify(events).slice(0, 500)}`);
        if (Date.now() - t0 > timeoutMs) throw new Error(`timeout; got ${JSON.stringify(events).slice(0, 500)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
      return events;
    },
    messages: () => events.filter((e) => e.event === 'message').map((e) => e.data),
    close() {
      ctrl.abort();
      return done;
    },
    done,
  };
}
