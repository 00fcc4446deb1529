/**
 * @module
 * A minimal Server-Sent Events parser for fetch streams. EventSource cannot send an Authorization header, so the
 * background reads the stream with fetch and feeds it here.
 */

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/** Returns a `push(chunk)` function; `onMessage` is called for every complete event. Handles CRLF and split chunks. */
export function createSseParser(onMessage: (message: SseMessage) => void): (chunk: string) => void {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  const dispatch = () => {
    if (data.length) onMessage({ event: event || 'message', data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
    event = '';
    data = [];
  };
  return (chunk) => {
    buffer += chunk;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        dispatch();
        continue;
      }
      if (line.startsWith(':')) continue; // comment / keep-alive
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id') id = value;
    }
    // Guard against a server that never ends a line: a single event is far smaller than this.
    if (buffer.length > 1_000_000) buffer = '';
  };
}
