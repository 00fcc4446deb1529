import type { OutputDecl, OutputType } from './actions';
import { limits } from './limits';
import { utf8Length } from './common';

export type OutputValue = string | number | boolean | string[];

const byteLength = utf8Length;
const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses a raw output value (a CLI argument, or a JSON value) into its typed form.
 * Returns `{ value }` or `{ error }` with a message that names the output.
 * Sizes are bytes, bitrates bits per second, durations seconds, ratios a number (0.25 = 25 %).
 */
export function coerceOutput(decl: OutputDecl, raw: unknown): { value: OutputValue } | { error: string } {
  const fail = (why: string) => ({ error: `output ${decl.name} (${decl.type}): ${why}` });
  const maxBytes = decl.maxBytes ?? limits.defaultStringOutputBytes;
  const num = (v: unknown): number | null => {
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return null;
  };
  switch (decl.type as OutputType) {
    case 'string': {
      if (typeof raw !== 'string') return fail('expected a string');
      if (byteLength(raw) > maxBytes) return fail(`longer than ${maxBytes} bytes`);
      return { value: raw };
    }
    case 'bool': {
      if (typeof raw === 'boolean') return { value: raw };
      const s = String(raw).toLowerCase();
      if (['true', '1', 'yes'].includes(s)) return { value: true };
      if (['false', '0', 'no'].includes(s)) return { value: false };
      return fail('expected true or false');
    }
    case 'int': {
      const n = num(raw);
      if (n === null || !Number.isSafeInteger(n)) return fail('expected an integer');
      return { value: n };
    }
    case 'float':
    case 'ratio': {
      const n = num(raw);
      if (n === null) return fail('expected a number');
      return { value: n };
    }
    case 'size':
    case 'bitrate':
    case 'duration': {
      const n = num(raw);
      if (n === null || n < 0) return fail('expected a non-negative number');
      if (decl.type === 'size' && !Number.isSafeInteger(n)) return fail('expected a whole number of bytes');
      return { value: n };
    }
    case 'datetime': {
      if (typeof raw !== 'string' || !isoDate.test(raw) || Number.isNaN(Date.parse(raw)))
        return fail('expected an ISO 8601 date-time with a time zone');
      return { value: new Date(raw).toISOString() };
    }
    case 'string-list': {
      let list = raw;
      if (typeof raw === 'string') {
        try {
          list = JSON.parse(raw);
        } catch {
          return fail('expected a JSON array of strings');
        }
      }
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) return fail('expected an array of strings');
      if (list.length > limits.maxStringListItems) return fail(`more than ${limits.maxStringListItems} items`);
      if (list.some((x: string) => byteLength(x) > maxBytes)) return fail(`an item is longer than ${maxBytes} bytes`);
      return { value: list as string[] };
    }
  }
}
