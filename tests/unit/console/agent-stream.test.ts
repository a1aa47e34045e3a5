import { describe, expect, it } from 'vitest';
import { createAgentStream } from '../../../demo-site/console/src/lib/agent-stream';

function sseResponse(text: string) {
  return new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(text)); c.close(); } }), { headers: { 'content-type': 'text/event-stream' } });
}

describe('agent stream', () => {
  it('sends the token, starts after the newest message, resumes with Last-Event-ID after a drop', async () => {
    const requests: Headers[] = [];
    const bodies = ['id: 7\nevent: message\ndata: {"id":"7","text":"hi"}\n\n', 'id: 8\nevent: message\ndata: {"id":"8","text":"again"}\n\n'];
    const fetchFn = (async (_url: string, init: RequestInit) => {
      requests.push(new Headers(init.headers));
      const body = bodies.shift();
      return body ? sseResponse(body) : new Promise<Response>(() => {}); // third connect stays open
    }) as unknown as typeof fetch;
    const stream = createAgentStream('tok-123', { fetchFn, startAfter: async () => '6' });
    const seen: unknown[] = [];
    stream.subscribe((e) => seen.push(e.json));
    stream.start();
    await expect.poll(() => seen.length, { timeout: 5000 }).toBe(2);
    stream.stop();
    expect(seen).toEqual([{ id: '7', text: 'hi' }, { id: '8', text: 'again' }]);
    expect(requests[0].get('authorization')).toBe('Bearer tok-123');
    expect(requests[0].get('last-event-id')).toBe('6');
    expect(requests[1].get('last-event-id')).toBe('7');
  });

  it('reports offline and retries when the server refuses', async () => {
    let calls = 0;
    const statuses: string[] = [];
    const fetchFn = (async () => { calls++; return new Response('no', { status: 503 }); }) as unknown as typeof fetch;
    const stream = createAgentStream('t', { fetchFn, onStatus: (s) => statuses.push(s) });
    stream.start();
    await expect.poll(() => calls, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    stream.stop();
    expect(statuses).toContain('offline');
    expect(statuses).not.toContain('live');
  });
});
