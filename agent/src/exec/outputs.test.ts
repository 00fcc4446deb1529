import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutputDecl } from '@fixpoint/protocol';
import { tempDir } from '../testing/helpers';
import { readOutputs } from './outputs';

const decls: OutputDecl[] = [
  { name: 'free', type: 'size', description: '' },
  { name: 'names', type: 'string-list', description: '' },
  { name: 'note', type: 'string', description: '' },
];
const hex = (s: string) => Buffer.from(s).toString('hex');

function file(text: string): string {
  const path = join(tempDir(), 'outputs.jsonl');
  writeFileSync(path, text);
  return path;
}

describe('readOutputs', () => {
  it('accepts value, valueJson, valueHex and valueJsonHex lines; the last line for a name wins', () => {
    const path = file(
      [
        '{"name":"free","value":1}',
        `{"name":"free","valueHex":"${hex('2048')}"}`,
        '{"name":"names","valueJson":"[\\"a\\"]"}',
        `{"name":"note","valueHex":"${hex('x "y"\n')}"}`,
        '',
      ].join('\n'),
    );
    expect(readOutputs(path, decls)).toEqual({ outputs: { free: 2048, names: ['a'], note: 'x "y"\n' }, problems: [] });
    expect(readOutputs(file(`{"name":"names","valueJsonHex":"${hex('["b","c"]')}"}`), decls).outputs).toEqual({ names: ['b', 'c'] });
  });

  it('names every rejected output and line', () => {
    const path = file(['not json', '{"value":1}', '{"name":"free","value":-5}', '{"name":"ghost","value":1}', '{"name":"names","valueJsonHex":"zz"}', '{"name":"note"}'].join('\n'));
    const { problems } = readOutputs(path, decls);
    expect(problems).toEqual([
      'output file line 1: not valid JSON',
      'output file line 2: expected {"name": ..., "value": ...}',
      'output free (size): expected a non-negative number',
      'output ghost is not declared by the action',
      'output names: the value is not valid hex',
      'output note: no value given',
    ]);
  });

  it('caps the file size and refuses links', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'big'), 'x'.repeat(2000));
    expect(readOutputs(join(dir, 'big'), decls, { maxBytes: 1000 }).problems[0]).toMatch(/larger than 1000 bytes/);
    symlinkSync('/etc/passwd', join(dir, 'link'));
    expect(readOutputs(join(dir, 'link'), decls).problems).toEqual(['the output file cannot be opened (is it a link?)']);
    expect(readOutputs(join(dir, 'missing'), decls)).toEqual({ outputs: {}, problems: [] });
    expect(readOutputs(join(dir, 'big'), decls, { ownerUid: 12345 }).problems).toEqual(['the output file changed owner']);
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO put in place of the file instead of waiting on it forever', () => {
    const fifo = join(tempDir(), 'outputs.jsonl');
    execFileSync('mkfifo', [fifo]);
    expect(readOutputs(fifo, decls).problems).toEqual(['the output file is not a regular file']);
  });
});
