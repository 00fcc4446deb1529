/**
 * @module Recursive-descent parser: query text → {@link QueryAst}.
 *
 * ```
 * query     := TABLE ['during' 'past' DURATION] ('|' stage)*
 * stage     := 'where' expr | 'list' fields | 'sort' key (',' key)* | 'limit' N
 *            | 'summarize' agg (',' agg)* ['by' fields]
 * key       := FIELD ['asc' | 'desc']
 * agg       := [NAME '='] ('count' '(' ')' | 'countif' '(' expr ')' | ('sum'|'avg'|'min'|'max') '(' FIELD ')')
 * expr      := and ('or' and)*          and := unary ('and' unary)*
 * unary     := 'not' unary | '(' expr ')' | FIELD ['not'] predicate
 * predicate := ('=='|'!='|'<'|'<='|'>'|'>=') literal ['ago'] | ('contains'|'startswith') literal | 'in' '(' literal (',' literal)* ')'
 * literal   := STRING | NUMBER | SIZE | DURATION | 'true' | 'false' | 'null'
 * ```
 * Keywords are case-insensitive. Parentheses and `not` nest at most `queryLimits.maxDepth` deep.
 */
import {
  aggregateFns,
  queryLimits,
  utf8Length,
  type AggregateFn,
  type CompareOp,
  type QueryAggregate,
  type QueryAst,
  type QueryExpr,
  type QueryField,
  type QueryLiteral,
  type QuerySortKey,
  type QuerySpan,
  type QueryStage,
} from '@fixpoint/protocol';
import { describeExpected, queryError, quoteFound } from './errors';
import { tokenize, type Token } from './lexer';

/** Words that cannot name a field inside an expression. */
const reserved = new Set(['and', 'or', 'not', 'in', 'contains', 'startswith', 'true', 'false', 'null', 'ago']);
/** Deepest fact path; also keeps jsonb_extract_path far below PostgreSQL's 100-argument limit. */
const maxPathParts = 16;
const stageNames = ['where', 'list', 'sort', 'limit', 'summarize'] as const;
const comparisonOps = new Set(['==', '!=', '<', '<=', '>', '>=']);
const comparisonExpected = ['==', '!=', '<', '<=', '>', '>=', "'in'", "'contains'", "'startswith'"];
const literalExpected = ['a string', 'a number', 'a size', 'a duration', "'true'", "'false'", "'null'"];

/** Parses query text; throws a positioned QuerySyntaxError (a 400) on any malformed input. */
export function parseQuery(text: string): QueryAst {
  if (utf8Length(text) > queryLimits.maxQueryBytes) {
    let bytes = 0;
    let at = 0;
    while (at < text.length && (bytes += utf8Length(text[at]!)) <= queryLimits.maxQueryBytes) at++;
    throw queryError(text, { offset: at, length: text.length - at }, `query is longer than ${queryLimits.maxQueryBytes} bytes`);
  }
  return new Parser(text, tokenize(text)).query();
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  query(): QueryAst {
    const table = this.expectWord(['a table name']);
    const ast: QueryAst = { table: { name: table.text, span: spanOf(table) }, stages: [] };
    if (this.isWord('during')) {
      const start = this.next();
      this.expectKeyword('past');
      const duration = this.peek();
      if (duration.kind !== 'duration' || (duration.value as number) <= 0) throw this.unexpected(['a duration such as 24h or 7d']);
      this.next();
      ast.during = { seconds: duration.value as number, text: duration.text, span: join(start, duration) };
    }
    while (this.peek().kind === 'pipe') {
      this.next();
      if (ast.stages.length >= queryLimits.maxStages) throw this.fail(this.peek(), `a query has at most ${queryLimits.maxStages} stages`);
      ast.stages.push(this.stage());
    }
    if (this.peek().kind !== 'eof') throw this.unexpected(ast.stages.length || ast.during ? ["'|'", 'end of query'] : ["'during'", "'|'", 'end of query']);
    return ast;
  }

  private stage(): QueryStage {
    const start = this.peek();
    const name = start.kind === 'word' ? start.text.toLowerCase() : '';
    if (!(stageNames as readonly string[]).includes(name)) throw this.unexpected(stageNames.map((s) => `'${s}'`));
    this.next();
    switch (name as (typeof stageNames)[number]) {
      case 'where': {
        const condition = this.expr();
        return { kind: 'where', condition, span: join(start, this.prev()) };
      }
      case 'list': {
        const fields = this.fieldList();
        return { kind: 'list', fields, span: join(start, this.prev()) };
      }
      case 'sort': {
        const keys: QuerySortKey[] = [];
        do {
          this.checkCount(keys.length, 'sort keys');
          const field = this.field();
          let direction: 'asc' | 'desc' = 'asc';
          if (this.isWord('asc') || this.isWord('desc')) direction = this.next().text.toLowerCase() as 'asc' | 'desc';
          keys.push({ field, direction });
        } while (this.accept('comma'));
        return { kind: 'sort', keys, span: join(start, this.prev()) };
      }
      case 'limit': {
        const n = this.peek();
        if (n.kind !== 'number' || !Number.isSafeInteger(n.value) || (n.value as number) < 1) throw this.unexpected(['a positive whole number']);
        this.next();
        return { kind: 'limit', count: n.value as number, span: join(start, n) };
      }
      case 'summarize': {
        const aggregates: QueryAggregate[] = [];
        do {
          this.checkCount(aggregates.length, 'aggregates');
          aggregates.push(this.aggregate());
        } while (this.accept('comma'));
        let by: QueryField[] = [];
        if (this.isWord('by')) {
          this.next();
          by = this.fieldList();
        }
        return { kind: 'summarize', aggregates, by, span: join(start, this.prev()) };
      }
    }
  }

  private aggregate(): QueryAggregate {
    const start = this.peek();
    let alias: string | undefined;
    if (start.kind === 'word' && this.peek(1).kind === 'op' && this.peek(1).text === '=') {
      if (start.text.includes('.') || reserved.has(start.text.toLowerCase())) throw this.fail(start, `'${start.text}' cannot name a column`, ['a name']);
      alias = start.text;
      this.pos += 2;
    }
    const fnToken = this.peek();
    const fn = fnToken.kind === 'word' ? fnToken.text.toLowerCase() : '';
    if (!(aggregateFns as readonly string[]).includes(fn) || this.peek(1).kind !== 'lparen') {
      throw this.unexpected(aggregateFns.map((f) => `${f}()`));
    }
    this.pos += 2;
    const agg: QueryAggregate = { fn: fn as AggregateFn, span: spanOf(start) };
    if (fn === 'countif') agg.condition = this.expr();
    else if (fn !== 'count') agg.field = this.field();
    this.expect('rparen', ["')'"]);
    if (alias !== undefined) agg.alias = alias;
    agg.span = join(start, this.prev());
    return agg;
  }

  private expr(): QueryExpr {
    return this.chain('or', () => this.chain('and', () => this.unary()));
  }

  /** `a or b or c` becomes one n-ary node, so long chains do not nest (in the tree or in the SQL). */
  private chain(word: 'and' | 'or', operand: () => QueryExpr): QueryExpr {
    const first = operand();
    if (!this.isWord(word)) return first;
    const operands = [first];
    while (this.isWord(word)) {
      this.next();
      operands.push(operand());
    }
    return { kind: word, operands, span: { offset: first.span.offset, length: end(this.prev()) - first.span.offset } };
  }

  private unary(): QueryExpr {
    const start = this.peek();
    if (this.isWord('not') || start.kind === 'lparen') {
      if (++this.depth > queryLimits.maxDepth) throw this.fail(start, `nesting deeper than ${queryLimits.maxDepth} levels`);
      this.next();
      let result: QueryExpr;
      if (start.kind === 'lparen') {
        result = this.expr();
        this.expect('rparen', ["')'", "'and'", "'or'"]);
      } else result = { kind: 'not', operand: this.unary(), span: spanOf(start) };
      result.span = join(start, this.prev());
      this.depth--;
      return result;
    }
    return this.predicate();
  }

  private predicate(): QueryExpr {
    const field = this.field();
    const negated = this.isWord('not');
    if (negated) this.next();
    const opToken = this.peek();
    const opWord = opToken.kind === 'word' ? opToken.text.toLowerCase() : '';
    let result: QueryExpr;
    if (!negated && opToken.kind === 'op' && comparisonOps.has(opToken.text)) {
      this.next();
      const value = this.literal();
      if (value.kind === 'duration' && this.isWord('ago')) value.span = join(value.span, this.next());
      result = { kind: 'compare', field, op: opToken.text as CompareOp, value, span: join(field.span, this.prev()) };
    } else if (opWord === 'contains' || opWord === 'startswith') {
      this.next();
      result = { kind: 'compare', field, op: opWord, value: this.literal(), span: join(field.span, this.prev()) };
    } else if (opWord === 'in') {
      this.next();
      this.expect('lparen', ["'('"]);
      const values = [this.literal()];
      while (this.accept('comma')) values.push(this.literal());
      this.expect('rparen', ["','", "')'"]);
      result = { kind: 'in', field, values, span: join(field.span, this.prev()) };
    } else if (opToken.kind === 'op' && opToken.text === '=') {
      throw this.fail(opToken, `expected a comparison operator, found '='; use '==' to compare`, ['==']);
    } else if (negated) throw this.unexpected(["'in'", "'contains'", "'startswith'"]);
    else throw this.unexpected(comparisonExpected, 'a comparison operator');
    return negated ? { kind: 'not', operand: result, span: result.span } : result;
  }

  private literal(): QueryLiteral {
    const t = this.peek();
    const span = spanOf(t);
    const word = t.kind === 'word' ? t.text.toLowerCase() : '';
    let lit: QueryLiteral;
    if (t.kind === 'string') lit = { kind: 'string', value: t.value as string, span };
    else if (t.kind === 'number') lit = { kind: 'number', value: t.value as number, span };
    else if (t.kind === 'size' || t.kind === 'duration') lit = { kind: t.kind, value: t.value as number, text: t.text, span };
    else if (word === 'true' || word === 'false') lit = { kind: 'boolean', value: word === 'true', span };
    else if (word === 'null') lit = { kind: 'null', span };
    else throw this.unexpected(literalExpected);
    this.next();
    return lit;
  }

  private fieldList(): QueryField[] {
    const fields = [this.field()];
    while (this.accept('comma')) {
      this.checkCount(fields.length, 'fields');
      fields.push(this.field());
    }
    return fields;
  }

  private checkCount(count: number, what: string): void {
    if (count >= queryLimits.maxItems) throw this.fail(this.peek(), `at most ${queryLimits.maxItems} ${what} per stage`);
  }

  private field(): QueryField {
    const t = this.peek();
    if (t.kind !== 'word' || reserved.has(t.text.toLowerCase())) throw this.unexpected(['a field name']);
    if (t.text.split('.').length > maxPathParts) throw this.fail(t, `a field path has at most ${maxPathParts} parts`);
    this.next();
    return { path: t.text, span: spanOf(t) };
  }

  // ── token helpers ──
  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }
  private prev(): Token {
    return this.tokens[Math.max(0, this.pos - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toLowerCase() === word;
  }
  private accept(kind: Token['kind']): boolean {
    if (this.peek().kind !== kind) return false;
    this.next();
    return true;
  }
  private expect(kind: Token['kind'], expected: string[]): Token {
    if (this.peek().kind !== kind) throw this.unexpected(expected);
    return this.next();
  }
  private expectWord(expected: string[]): Token {
    if (this.peek().kind !== 'word') throw this.unexpected(expected);
    return this.next();
  }
  private expectKeyword(word: string): Token {
    if (!this.isWord(word)) throw this.unexpected([`'${word}'`]);
    return this.next();
  }
  /** "expected X, found Y" at the current token; `summary` replaces the list in the message (not in `expected`). */
  private unexpected(expected: string[], summary = describeExpected(expected)) {
    const t = this.peek();
    const found = t.kind === 'eof' ? 'end of query' : quoteFound(t.text);
    return this.fail(t, `expected ${summary}, found ${found}`, expected);
  }
  private fail(t: Token, message: string, expected: string[] = []) {
    return queryError(this.text, spanOf(t), message, expected);
  }
}

const spanOf = (t: Token): QuerySpan => ({ offset: t.offset, length: t.length });
const end = (t: { offset: number; length: number }) => t.offset + t.length;
const join = (a: { offset: number }, b: { offset: number; length: number }): QuerySpan => ({ offset: a.offset, length: end(b) - a.offset });
