// An esbuild plugin for the device bundles (agent, tray client): every top-level zod schema of the protocol package is
// built on first use instead of at load. `export const X = z.object({…})` becomes
// `export const X = /* @__PURE__ */ __lazySchema(() => z.object({…}))` (protocol/src/lazy-schema.ts), so the idle
// agent holds only the schemas it touched, and esbuild drops those no code reads. Types are untouched: the TypeScript
// source is rewritten only on its way into the bundle.
//
// Wrapped: a `const` initializer that is a call chain starting at `z` or at a schema of the protocol (a name wrapped
// earlier in the file, or a capitalized name imported from a sibling module), and not ending in a call that returns
// something other than a schema (`parse`, array methods). `lazySchemaEdits` is exported for its test, which checks
// every wrapped export really is a schema.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const helper = fileURLToPath(new URL('../protocol/src/lazy-schema.ts', import.meta.url));
const notSchema = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync', 'encode', 'decode', 'map', 'filter', 'flatMap', 'join', 'slice', 'concat', 'toJSONSchema']);

/** The root identifier and the last called name of a call chain such as `z.object({}).extend({}).optional()`. */
function chainOf(expression) {
  if (!ts.isCallExpression(expression)) return null;
  const last = ts.isPropertyAccessExpression(expression.expression) ? expression.expression.name.text : ts.isIdentifier(expression.expression) ? expression.expression.text : null;
  let node = expression;
  for (;;) {
    if (ts.isCallExpression(node) || ts.isPropertyAccessExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
    else if (ts.isParenthesizedExpression(node)) node = node.expression;
    else break;
  }
  return ts.isIdentifier(node) ? { root: node.text, last } : null;
}

/** The `[start, end]` ranges of the initializers to wrap in `source` (a protocol module's TypeScript text). */
export function lazySchemaEdits(source, fileName = 'module.ts') {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const schemas = new Set(['z']);
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause?.namedBindings) continue;
    if (!ts.isStringLiteral(statement.moduleSpecifier) || !statement.moduleSpecifier.text.startsWith('.')) continue;
    const bindings = statement.importClause.namedBindings;
    if (ts.isNamedImports(bindings)) for (const element of bindings.elements) if (/^[A-Z]/.test(element.name.text) && !element.isTypeOnly) schemas.add(element.name.text);
  }
  const edits = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
      const chain = chainOf(declaration.initializer);
      if (!chain || !schemas.has(chain.root) || (chain.last && notSchema.has(chain.last))) continue;
      schemas.add(declaration.name.text);
      edits.push({ name: declaration.name.text, start: declaration.initializer.getStart(file), end: declaration.initializer.end });
    }
  }
  return edits;
}

/** `source` with its schemas wrapped, or `source` itself when it has none. */
export function wrapLazySchemas(source, fileName) {
  const edits = lazySchemaEdits(source, fileName);
  if (edits.length === 0) return source;
  let out = source;
  for (const { start, end } of [...edits].reverse()) out = `${out.slice(0, start)}/* @__PURE__ */ __lazySchema(() => (${out.slice(start, end)}))${out.slice(end)}`;
  return `import { lazySchema as __lazySchema } from ${JSON.stringify(helper)};\n${out}`;
}

export const lazySchemas = {
  name: 'lazy-schemas',
  setup(b) {
    b.onLoad({ filter: /[\\/]protocol[\\/]src[\\/].*\.ts$/ }, async (args) => {
      if (args.path === helper || /\.test\.ts$/.test(args.path)) return undefined;
      return { contents: wrapLazySchemas(await readFile(args.path, 'utf8'), args.path), loader: 'ts' };
    });
  },
};
