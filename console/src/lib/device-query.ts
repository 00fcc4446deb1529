/**
 * @module Device queries as the console runs them. The devices page needs each row's device id (to open the device
 * and to launch on every result), so a devices query without `id` gets it added, and errors the backend reports on
 * the text that ran are moved back onto the text the person typed.
 */
import type { QueryError } from '@fixpoint/protocol';

interface Token {
  kind: 'pipe' | 'word' | 'comma' | 'other';
  text: string;
  offset: number;
}

/** Just enough of the language's lexer to find stages: strings, `//` comments, words, pipes and commas. */
export function scanQuery(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const start = i;
    if (/\s/.test(c)) i++;
    else if (c === '/' && text[i + 1] === '/') while (i < text.length && text[i] !== '\n') i++;
    else if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
      i++;
      tokens.push({ kind: 'other', text: text.slice(start, i), offset: start });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_.-]/.test(text[i]!)) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), offset: start });
    } else {
      i++;
      tokens.push({ kind: c === '|' ? 'pipe' : c === ',' ? 'comma' : 'other', text: c, offset: start });
    }
  }
  return tokens;
}

/** The query to send, and what was added to it. */
export interface PreparedQuery {
  /** The text sent to the backend. */
  text: string;
  /** Where text was inserted (an offset into the typed text) and what; null when the query runs as typed. */
  insertion: { at: number; text: string } | null;
  /** The `id` column was added by the console, so the results table hides it. */
  addedId: boolean;
}

/** The columns a devices query shows without a `list` stage (the backend's defaults), after the added id. */
export const defaultDeviceColumns = ['name', 'platform', 'os.version', 'online', 'last_seen'];
const maxStages = 32;

/**
 * Makes a devices query return the device id: `list a, b` becomes `list id, a, b`; a query without `list` gets
 * `| list id, <default columns>` right after the table, so later stages see the same fields as before.
 * Other tables, summaries and queries that already list `id` run as typed.
 * @example prepareDeviceQuery('devices | where online == true').text // 'devices | list id, name, … | where online == true'
 */
export function prepareDeviceQuery(typed: string): PreparedQuery {
  const asTyped: PreparedQuery = { text: typed, insertion: null, addedId: false };
  const tokens = scanQuery(typed);
  if (tokens[0]?.kind !== 'word' || tokens[0].text !== 'devices') return asTyped;
  const stages: Token[][] = [];
  for (const token of tokens.slice(1)) {
    if (token.kind === 'pipe') stages.push([]);
    else stages.at(-1)?.push(token);
  }
  const names = stages.map((s) => s[0]?.text.toLowerCase());
  if (names.includes('summarize')) return asTyped;
  const listIndex = names.lastIndexOf('list');
  if (listIndex >= 0) {
    const fields = stages[listIndex]!.slice(1);
    const first = fields[0];
    if (!first || first.kind !== 'word') return asTyped;
    const listsId = fields.some((f, i) => f.kind === 'word' && f.text === 'id' && (i === 0 || fields[i - 1]!.kind === 'comma'));
    if (listsId) return asTyped;
    return insert(typed, first.offset, 'id, ');
  }
  if (stages.length >= maxStages) return asTyped;
  // After the table (and a `during past …`), before the first pipe.
  const firstPipe = tokens.find((t) => t.kind === 'pipe');
  const headEnd = firstPipe ? lastTokenEnd(tokens, firstPipe.offset) : lastTokenEnd(tokens, typed.length);
  return insert(typed, headEnd, ` | list id, ${defaultDeviceColumns.join(', ')}`);
}

function lastTokenEnd(tokens: Token[], before: number): number {
  const last = tokens.filter((t) => t.offset < before).at(-1)!;
  return last.offset + last.text.length;
}

function insert(typed: string, at: number, text: string): PreparedQuery {
  return { text: `${typed.slice(0, at)}${text}${typed.slice(at)}`, insertion: { at, text }, addedId: true };
}

/**
 * Moves an error on the sent text back onto the typed text: positions after the insertion shift left, and the
 * `line L, column C:` prefix of the message follows. An error inside the inserted text points at the insertion.
 */
export function mapQueryError(error: QueryError, prepared: PreparedQuery): QueryError {
  const ins = prepared.insertion;
  if (!ins || error.offset < ins.at) return error;
  const inside = error.offset < ins.at + ins.text.length;
  const offset = inside ? ins.at : error.offset - ins.text.length;
  const typed = prepared.text.slice(0, ins.at) + prepared.text.slice(ins.at + ins.text.length);
  const { line, column } = positionAt(typed, offset);
  const message = error.message.replace(/^line \d+, column \d+: /, `line ${line}, column ${column}: `);
  return { ...error, offset, length: inside ? 0 : error.length, line, column, message };
}

/** 1-based line and column (code points) of a UTF-16 offset, as the backend counts them. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.min(offset, text.length));
  const lines = before.split('\n');
  return { line: lines.length, column: [...lines.at(-1)!].length + 1 };
}

/** The typed text cut around the error span, for underlining it in place; a zero-length span marks a point. */
export function errorSegments(text: string, error: Pick<QueryError, 'offset' | 'length'>): { before: string; marked: string; after: string } {
  const start = Math.max(0, Math.min(error.offset, text.length));
  const end = Math.max(start, Math.min(error.offset + error.length, text.length));
  return { before: text.slice(0, start), marked: text.slice(start, end), after: text.slice(end) };
}

/** The table a query starts from (its first word), or '' when there is none yet. */
export function queryTableName(text: string): string {
  const first = scanQuery(text)[0];
  return first?.kind === 'word' ? first.text : '';
}

/** Moves an error found in `<prefix><text>` back onto `text` (the part a person typed), as the backend does for conditions. */
export function shiftQueryError(error: QueryError, text: string, prefixLength: number): QueryError {
  const offset = Math.max(0, error.offset - prefixLength);
  const length = error.offset < prefixLength ? 0 : error.length;
  const { line, column } = positionAt(text, offset);
  return { ...error, offset, length, line, column, message: error.message.replace(/^line \d+, column \d+: /, `line ${line}, column ${column}: `) };
}
