import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse';

describe('createSseParser', () => {
  it('parses events split across chunks, with CRLF, comments and multi-line data', () => {
    const got: SseMessage[] = [];
    const push = createSseParser((m) => got.push(m));
    push(': keep-alive\n\nevent: execution\r\nid: 7\r\ndata: {"a"');
    expect(got).toEqual([]);
    push(':1}\r\n\r\ndata: line1\ndata: line2\n\n');
    expect(got).toEqual([
      { event: 'execution', id: '7', data: '{"a":1}' },
      { event: 'message', id: '7', data: 'line1\nline2' },
    ]);
  });

  it('ignores events without data', () => {
    const got: SseMessage[] = [];
    const push = createSseParser((m) => got.push(m));
    push('event: ping\n\n');
    expect(got).toEqual([]);
  });
});
