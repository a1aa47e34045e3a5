// A minimal SSE reader over node:http with an Authorization header (as the widget's fetch does),
// cheap enough to hold thousands of streams from one process.
import { Agent, request, type ClientRequest } from 'node:http';

export type SseEvent = { event: string; data: string; id?: string };

export type SseStream = { close(): void; readonly open: boolean };

/** Opens GET `url` as an event stream; resolves once a 200 answer's headers arrived. */
export function openSse(url: string, token: string, agent: Agent, onEvent: (e: SseEvent) => void): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    let open = false;
    const req: ClientRequest = request(url, { agent, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`stream answered ${res.statusCode}`));
        return;
      }
      open = true;
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        buf += chunk;
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const e: SseEvent = { event: 'message', data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue; // keep-alive comment
            const i = line.indexOf(':');
            const field = i < 0 ? line : line.slice(0, i);
            const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
            if (field === 'event') e.event = value;
            else if (field === 'data') data.push(value);
            else if (field === 'id') e.id = value;
          }
          if (data.length) onEvent({ ...e, data: data.join('\n') });
        }
      });
      res.on('close', () => { open = false; });
      resolve({ close: () => req.destroy(), get open() { return open; } });
    });
    req.on('error', (err) => { open = false; reject(err); });
    req.end();
  });
}

/** Runs `fn` over items with at most `limit` in flight; answers the settled results in order. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const out: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try { out[i] = { status: 'fulfilled', value: await fn(items[i], i) }; }
      catch (reason) { out[i] = { status: 'rejected', reason }; }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
