import { describe, expect, it } from 'vitest';
import { fitResult, failedResult } from './result';
import { TailBuffer, redactSecrets, utf8Tail } from './tail-buffer';

describe('tail buffer', () => {
  it('keeps everything under the cap', () => {
    const t = new TailBuffer(16);
    t.write(Buffer.from('hello '));
    t.write(Buffer.from('world'));
    expect(t.text()).toEqual({ text: 'hello world', truncated: false });
  });

  it('keeps the last cap bytes across many writes and wraps correctly', () => {
    const t = new TailBuffer(10);
    let all = '';
    for (let i = 0; i < 1000; i++) {
      const s = `${i},`;
      all += s;
      t.write(Buffer.from(s));
    }
    expect(t.text()).toEqual({ text: all.slice(-10), truncated: true });
    expect(t.total).toBe(all.length);
  });

  it('handles a single chunk larger than the buffer', () => {
    const t = new TailBuffer(4, 2);
    t.write(Buffer.from('abcdefghij'));
    expect(t.text().text).toBe('ghij');
  });

  it('never starts with half a multi-byte character', () => {
    const t = new TailBuffer(5);
    t.write(Buffer.from('ééééé'));
    expect(t.text().text).toBe('éé');
  });

  it('redacts secrets, longest first', () => {
    expect(redactSecrets('pass=abc123 short=abc', ['abc', 'abc123'])).toBe('pass=*** short=***');
    expect(redactSecrets('nothing', [''])).toBe('nothing');
  });

  it('cuts strings to a UTF-8 byte budget', () => {
    expect(utf8Tail('aé', 2)).toBe('é');
    expect(utf8Tail('aé', 1)).toBe('');
  });
});

describe('fitResult', () => {
  it('shrinks tails until the message fits, then drops outputs', () => {
    const r = { ...failedResult('00000000-0000-4000-8000-000000000001', 'failed', 'spawn_failed', 'x', new Date()) };
    const big = { ...r, stdoutTail: 'o'.repeat(5000), stderrTail: 'e'.repeat(3000) + 'END' };
    const fitted = fitResult(big, 3000);
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(3000);
    expect(fitted.truncated).toBe(true);
    expect(fitted.stderrTail.endsWith('END')).toBe(true);
    const huge = fitResult({ ...r, outputs: { x: 'y'.repeat(5000) } }, 3000);
    expect(huge).toMatchObject({ status: 'failed', outputs: {}, error: 'the outputs exceed the message size limit' });
  });
});
