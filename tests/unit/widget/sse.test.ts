// The widget's SSE reader (client/sse.ts) reads what the server's Hono writeSSE writes, however the network cuts it.
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from '../../../widget/src/client/sse';

// As routes/stream.ts writes it: id, event and data lines, a keep-alive comment, a resume with retry, two-line data.
const stream = 'event: message\ndata: {"seq":1}\nid: 1\n\n'
  + ': keep-alive\n\n'
  + 'event: contact\ndata: {"id":"c1"}\n\n'
  + 'event: resume\ndata: {"after":1}\nretry: 250\n\n'
  + 'data: a\ndata: b\n\n';
const expected: SseEvent[] = [
  { event: 'message', data: '{"seq":1}' },
  { event: 'contact', data: '{"id":"c1"}' },
  { event: 'resume', data: '{"after":1}' },
  { event: 'message', data: 'a\nb' },
];

describe('createSseParser', () => {
  it('emits each event once, in order, wherever the chunks are cut (comments and other fields ignored)', () => {
    for (let i = 0; i <= stream.length; i++) {
      for (const j of [i, Math.min(stream.length, i + 1), Math.min(stream.length, i + 7)]) {
        const out: SseEvent[] = [];
        const feed = createSseParser((e) => out.push(e));
        feed(stream.slice(0, i));
        feed(stream.slice(i, j));
        feed(stream.slice(j));
        expect(out, `cut at ${i} and ${j}`).toEqual(expected);
      }
    }
  });

  it('holds back an event until its blank line arrives', () => {
    const out: SseEvent[] = [];
    const feed = createSseParser((e) => out.push(e));
    feed('event: typing\ndata: {}\n');
    expect(out).toEqual([]);
    feed('\n');
    expect(out).toEqual([{ event: 'typing', data: '{}' }]);
  });
});
