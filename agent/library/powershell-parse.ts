/**
 * @module A PowerShell syntax check without PowerShell: the tree-sitter grammar (`tree-sitter-powershell`, its
 * prebuilt WebAssembly) through `web-tree-sitter`, so nothing is compiled. The grammar is loaded once per process.
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
let loaded: Promise<Parser> | null = null;

function loadParser(): Promise<Parser> {
  loaded ??= (async () => {
    await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') });
    const language = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
    return new Parser().setLanguage(language);
  })();
  return loaded;
}

/**
 * `[Type, Assembly, ContentType = WindowsRuntime]`, an assembly-qualified type literal, is valid PowerShell (the way
 * Windows PowerShell loads a WinRT type) that the grammar does not know. Its assembly part is blanked before parsing,
 * keeping every position. The first name must be dotted, and the bracket must not index something (`$a[x.y, 1]`).
 */
const assemblyQualified = /(?<![\w\])}$])\[([A-Za-z_][\w]*(?:\.[\w]+)+)((?:\s*,\s*[\w.]+(?:\s*=\s*[\w.]+)?)+)\]/g;

/** The grammar reads `2 * 1MB` (a numeric multiplier after an operator) only in lower case; PowerShell takes both. */
const multiplier = /\b(\d+(?:\.\d+)?)(KB|MB|GB|TB|PB)\b/gi;

/** The source with the constructs above rewritten into ones the grammar reads, each the same length. */
const normalize = (source: string) =>
  source
    .replace(assemblyQualified, (_m, type: string, rest: string) => `[${type}]${' '.repeat(rest.length)}`)
    .replace(multiplier, (_m, n: string, unit: string) => n + unit.toLowerCase());

function errorsBelow(node: Node, out: string[]): void {
  const at = `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
  if (node.isMissing) out.push(`${at}: missing ${node.type}`);
  else if (node.isError) out.push(`${at}: syntax error at ${JSON.stringify(node.text.slice(0, 40))}`);
  // an ERROR node's own children are part of the same mistake
  else for (const child of node.children) if (child?.hasError) errorsBelow(child, out);
}

/**
 * The syntax errors in a PowerShell script, each as `line:column: what` (1-based), in source order; empty when it
 * parses. Whether the syntax is also Windows PowerShell 5.1's is the lint's question (`lintPowerShell` in `script-checks.ts`).
 * It has gaps besides the two normalized above: a command argument that is a list of barewords or starts with a method
 * call (`-Function a, b`, `-ArgumentList $s.Get(), $x`) does not parse; write `'a', 'b'` or `@($s.Get(), $x)`.
 */
export async function powershellSyntaxErrors(source: string): Promise<string[]> {
  const parser = await loadParser();
  const tree = parser.parse(normalize(source));
  if (!tree) throw new Error('the PowerShell parser returned no tree');
  try {
    const errors: string[] = [];
    errorsBelow(tree.rootNode, errors);
    return errors;
  } finally {
    tree.delete();
  }
}
