// A minimal Server-Sent Events parser for fetch streams (EventSource cannot send Authorization).
// https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation

export interface SseEvent { id?: string; event: string; data: string }

/** Feed text chunks in; complete events come out through `emit`. */
export function createSseParser(emit: (e: SseEvent) => void) {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  function line(text: string) {
    if (text === '') {
      if (data.length) emit({ id, event: event || 'message', data: data.join('\n') });
      data = []; event = ''; id = undefined;
      return;
    }
    if (text.startsWith(':')) return; // keep-alive comment
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  }
  return (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split(/\r\n|\r|\n/);
    buffer = parts.pop() ?? '';
    parts.forEach(line);
  };
}
