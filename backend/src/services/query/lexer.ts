/**
 * @module Splits query text into tokens. Words (field paths, table names, keywords) keep their dots and dashes, so
 * `remote_action.disk-usage.free_bytes` is one token; keywords are recognised by the parser, case-insensitively.
 */
import { queryError } from './errors';

export type TokenKind = 'word' | 'string' | 'number' | 'size' | 'duration' | 'op' | 'pipe' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text of the token (for strings, with quotes and escapes). */
  text: string;
  offset: number;
  length: number;
  /** Strings: the unescaped value. Numbers: the value; sizes in bytes, durations in seconds. */
  value?: string | number;
}

/** Seconds per duration unit. `m` is minutes; sizes always end in `b`. */
const durationUnits: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Bytes per size unit: binary multiples, so `1KB` is 1024 bytes (as operating systems report free space). */
const sizeUnits: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
  tb: 1024 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

const unitList = 's, m, h, d, w, B, KB, MB, GB or TB';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isWordStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isWordPart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_-]/.test(c);
const isSegmentStart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
const escapes: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/' };

/** Tokenizes the whole text; the last token is `eof`. Throws a positioned QuerySyntaxError. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (offset: number, length: number, message: string, expected: string[] = []) =>
    queryError(text, { offset, length }, message, expected);
  const push = (kind: TokenKind, start: number, value?: string | number) =>
    tokens.push({ kind, text: text.slice(start, i), offset: start, length: i - start, ...(value === undefined ? {} : { value }) });

  while (i < text.length) {
    const c = text[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (isWordStart(c)) {
      while (isWordPart(text[i])) i++;
      while (text[i] === '.') {
        if (!isSegmentStart(text[i + 1])) throw fail(i, 1, `expected a name after '.'`, ['a field name']);
        i++;
        while (isWordPart(text[i])) i++;
      }
      push('word', start);
    } else if (isDigit(c) || (c === '-' && isDigit(text[i + 1]))) {
      tokens.push(readNumber());
    } else if (c === '"' || c === "'") {
      push('string', start, readString(c));
    } else if (c === '=' || c === '!' || c === '<' || c === '>') {
      i++;
      if (text[i] === '=') i++;
      else if (c === '!') throw fail(start, 1, `unexpected '!'; use '!=' or 'not'`, ['!=']);
      push('op', start);
    } else if (c === '|' || c === '(' || c === ')' || c === ',') {
      i++;
      push(c === '|' ? 'pipe' : c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', start);
    } else {
      const ch = String.fromCodePoint(text.codePointAt(i)!);
      throw fail(i, ch.length, `unexpected character ${JSON.stringify(ch)}`);
    }
  }
  tokens.push({ kind: 'eof', text: '', offset: text.length, length: 0 });
  return tokens;

  function readNumber(): Token {
    const start = i;
    if (text[i] === '-') i++;
    while (isDigit(text[i])) i++;
    if (text[i] === '.' && isDigit(text[i + 1])) {
      i++;
      while (isDigit(text[i])) i++;
    }
    const numberText = text.slice(start, i);
    let value = Number(numberText);
    const unitStart = i;
    while (i < text.length && /[A-Za-z]/.test(text[i]!)) i++;
    const unit = text.slice(unitStart, i).toLowerCase();
    let kind: TokenKind = 'number';
    if (unit) {
      if (unit in durationUnits) {
        kind = 'duration';
        value *= durationUnits[unit]!;
      } else if (unit in sizeUnits) {
        kind = 'size';
        value = Math.round(value * sizeUnits[unit]!);
      } else throw fail(unitStart, i - unitStart, `unknown unit '${text.slice(unitStart, i)}'; use ${unitList}`, Object.keys({ ...durationUnits, ...sizeUnits }));
      if (value < 0) throw fail(start, i - start, `a ${kind} cannot be negative`);
    }
    if (isWordPart(text[i]) || text[i] === '.') throw fail(start, i + 1 - start, `malformed number '${text.slice(start, i + 1)}'`, ['a number']);
    if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) throw fail(start, i - start, 'number out of range');
    return { kind, text: text.slice(start, i), offset: start, length: i - start, value };
  }

  function readString(quote: string): string {
    const start = i;
    i++;
    let value = '';
    for (;;) {
      if (i >= text.length) throw fail(start, i - start, 'unterminated string', [quote]);
      const ch = text[i]!;
      if (ch === quote) break;
      if (ch === '\\') {
        const next = text[i + 1];
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else if (next !== undefined && next in escapes) {
          value += escapes[next];
          i += 2;
        } else throw fail(i, 2, `unknown escape '\\${next ?? ''}'; use \\\\, \\${quote}, \\n, \\t, \\r or \\uXXXX`);
        continue;
      }
      value += ch;
      i++;
    }
    i++;
    // PostgreSQL text cannot hold NUL, and a lone surrogate has no UTF-8 form: refuse both here, with a position
    const bad = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(value);
    if (bad) throw fail(start, i - start, bad[0] === '\0' ? 'strings cannot contain NUL characters' : 'string holds an invalid Unicode character');
    return value;
  }
}
