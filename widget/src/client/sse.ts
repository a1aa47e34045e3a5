// A minimal Server-Sent Events reader for fetch streams (EventSource cannot send Authorization), for what
// our own server writes (Hono's writeSSE: `\n` line ends, `field: value` lines, `: keep-alive` comments):
// the spec's CR line ends, field-less lines and `id` (the cursor is the messages' seq) are not needed.
// https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation

export interface SseEvent { event: string; data: string }

/** Feed text chunks in; complete events come out through `emit`. */
export function createSseParser(emit: (e: SseEvent) => void) {
  let buffer = '';
  return (chunk: string) => {
    const blocks = (buffer += chunk).split('\n\n');
    buffer = blocks.pop()!;
    for (const block of blocks) {
      let event = 'message';
      const data: string[] = [];
      // a comment (`: keep-alive`) has no field name, so it matches nothing
      for (const [, field, value] of block.matchAll(/^(\w+): ?(.*)$/gm)) {
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length) emit({ event, data: data.join('\n') });
    }
  };
}
