import type { QueryError, QuerySpan } from '@fixpoint/protocol';
import { AppError } from '../../errors';

/**
 * A query the language rejects. It is a 400 `bad_request` whose `details` is the positioned {@link QueryError},
 * so routes can pass it through unchanged and the console can underline the span.
 */
export class QuerySyntaxError extends AppError {
  constructor(readonly queryError: QueryError) {
    super(400, 'bad_request', queryError.message, queryError);
    this.name = 'QuerySyntaxError';
  }
}

/** 1-based line and column (in code points) of a UTF-16 offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      column = 1;
    } else if (c >= 0xdc00 && c <= 0xdfff && i > 0 && isHighSurrogate(text.charCodeAt(i - 1))) {
      // the second half of a surrogate pair: same code point
    } else column++;
  }
  return { line, column };
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** How a token or value is quoted in messages: short, and on one line. */
export function quoteFound(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return `'${oneLine.length > 30 ? `${oneLine.slice(0, 30)}…` : oneLine}'`;
}

/** Joins expectations as prose: `a, b or c`. */
export function describeExpected(expected: readonly string[]): string {
  if (expected.length <= 1) return expected[0] ?? 'something else';
  return `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}`;
}

/** Builds the positioned error; `message` is prefixed with `line L, column C: `. */
export function queryError(text: string, span: QuerySpan, message: string, expected: readonly string[] = []): QuerySyntaxError {
  const { line, column } = positionAt(text, span.offset);
  return new QuerySyntaxError({
    line,
    column,
    offset: span.offset,
    length: span.length,
    expected: [...expected],
    message: `line ${line}, column ${column}: ${message}`,
  });
}
