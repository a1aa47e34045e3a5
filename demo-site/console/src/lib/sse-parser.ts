// Incremental Server-Sent Events parser (https://html.spec.whatwg.org/#event-stream-interpretation).

export type SseEvent = { id?: string; event: string; data: string };

/** Returns a feed(chunk) function that calls onEvent for each complete event in the text stream. */
export function createSseParser(onEvent: (e: SseEvent) => void) {
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  return function feed(chunk: string) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (data.length) onEvent({ id, event: event || 'message', data: data.join('\n') });
        event = '';
        data = [];
        id = undefined;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id') id = value;
    }
  };
}
