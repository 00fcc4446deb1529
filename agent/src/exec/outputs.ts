/**
 * @module Reading what a script declared as outputs, from the JSON-lines file named by `FIXPOINT_OUTPUT_FILE`.
 *
 * One line per output; a later line for the same name wins. The value is given in one of these fields:
 * - `value`: any JSON value (what scripts in any language write),
 * - `valueJson`: a string holding JSON (PowerShell `fixpoint output --json`),
 * - `valueHex` / `valueJsonHex`: the same, as hex of the UTF-8 bytes (the sh helper; immune to shell quoting).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { coerceOutput, type OutputDecl } from '@fixpoint/protocol';

/** The whole output file may not exceed this; outputs are small typed values, not logs. */
export const MAX_OUTPUT_FILE_BYTES = 1024 * 1024;

export interface OutputsRead {
  outputs: Record<string, unknown>;
  /** One message per rejected line or value, each naming the output. Empty when all is well. */
  problems: string[];
}

/**
 * Opens the output file without following links and reads at most `maxBytes`. `ownerUid` (a user run) makes sure
 * the file still belongs to that user: the script's user could otherwise swap in a link to a file only root can read.
 * O_NONBLOCK: a FIFO swapped in for the file would otherwise block the agent in open() until someone writes to it.
 */
function readOutputFile(path: string, maxBytes: number, ownerUid?: number): { text: string } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { text: '' };
    return { problem: 'the output file cannot be opened (is it a link?)' };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { problem: 'the output file is not a regular file' };
    if (ownerUid !== undefined && st.uid !== ownerUid) return { problem: 'the output file changed owner' };
    if (st.size > maxBytes) return { problem: `the output file is larger than ${maxBytes} bytes` };
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return { text: buf.subarray(0, got).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

const fromHex = (hex: unknown): string | null =>
  typeof hex === 'string' && /^(?:[0-9a-fA-F]{2})*$/.test(hex) ? Buffer.from(hex, 'hex').toString('utf8') : null;

/** Decodes one line into `[name, raw value]`, or a message naming what is wrong. */
function decodeLine(line: string, n: number): { name: string; raw: unknown } | { problem: string } {
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch {
    return { problem: `output file line ${n}: not valid JSON` };
  }
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec) || typeof (rec as { name?: unknown }).name !== 'string')
    return { problem: `output file line ${n}: expected {"name": ..., "value": ...}` };
  const r = rec as Record<string, unknown>;
  const name = r.name as string;
  const parseJson = (text: string | null) => {
    if (text === null) return { problem: `output ${name}: the value is not valid hex` };
    try {
      return { name, raw: JSON.parse(text) as unknown };
    } catch {
      return { problem: `output ${name}: the value is not valid JSON` };
    }
  };
  if ('value' in r) return { name, raw: r.value };
  if (typeof r.valueJson === 'string') return parseJson(r.valueJson);
  if ('valueHex' in r) {
    const text = fromHex(r.valueHex);
    return text === null ? { problem: `output ${name}: the value is not valid hex` } : { name, raw: text };
  }
  if ('valueJsonHex' in r) return parseJson(fromHex(r.valueJsonHex));
  return { problem: `output ${name}: no value given` };
}

/** Reads and validates the outputs against the action's declarations (see `coerceOutput`). */
export function readOutputs(
  path: string,
  decls: readonly OutputDecl[],
  options: { maxBytes?: number; ownerUid?: number } = {},
): OutputsRead {
  const file = readOutputFile(path, options.maxBytes ?? MAX_OUTPUT_FILE_BYTES, options.ownerUid);
  if ('problem' in file) return { outputs: {}, problems: [file.problem] };
  const byName = new Map(decls.map((d) => [d.name, d]));
  const outputs: Record<string, unknown> = {};
  const problems: string[] = [];
  file.text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const decoded = decodeLine(line, i + 1);
    if ('problem' in decoded) return void problems.push(decoded.problem);
    const decl = byName.get(decoded.name);
    if (!decl) return void problems.push(`output ${decoded.name.slice(0, 64)} is not declared by the action`);
    const coerced = coerceOutput(decl, decoded.raw);
    if ('error' in coerced) return void problems.push(coerced.error);
    outputs[decl.name] = coerced.value;
  });
  return { outputs, problems };
}
