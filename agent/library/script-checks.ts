/**
 * @module Static checks for library scripts that cannot run on this machine (PowerShell, zsh) and portability checks
 * for the POSIX sh ones. Each check returns a list of problems (empty when the script is fine).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The characters PowerShell takes for a single quote: `'` and the typographic ‘ ’ ‚ ‛. */
const singleQuotes = "'\u2018\u2019\u201a\u201b";
const singleQuoted = new RegExp(`^[${singleQuotes}](?:[^${singleQuotes}]|[${singleQuotes}]{2})*[${singleQuotes}]`);

interface Scan {
  masked: string;
  /** The lines where a string starts and never ends. */
  unterminated: number[];
}

function scanPowerShell(source: string, keepStrings: boolean): Scan {
  let out = '';
  const unterminated: number[] = [];
  let i = 0;
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  while (i < source.length) {
    const rest = source.slice(i);
    const here = /^@(['"])\r?\n[\s\S]*?\n\1@/.exec(rest);
    const block = /^<#[\s\S]*?#>/.exec(rest);
    const ch = source[i]!;
    let token: string | null = null;
    let comment = false;
    if (here) token = here[0];
    else if (block || ch === '#') {
      token = block ? block[0] : /^#[^\n]*/.exec(rest)![0];
      comment = true;
    } else if (singleQuotes.includes(ch)) token = singleQuoted.exec(rest)?.[0] ?? null;
    else if (ch === '"') token = /^"(?:`[\s\S]|""|\$\((?:[^()]|\([^()]*\))*\)|[^"`])*"/.exec(rest)?.[0] ?? null;
    else if (ch === '`') token = rest.slice(0, 2);
    if (token === null && (singleQuotes.includes(ch) || ch === '"')) {
      unterminated.push(out.split('\n').length);
      token = rest;
    }
    if (token) {
      // Comments and escapes vanish; strings keep their quotes so the code around them still reads as code.
      if (comment || ch === '`') out += blank(token);
      else if (keepStrings) out += token;
      else out += token[0] + blank(token.slice(1, -1)) + (token.length > 1 ? token.at(-1) : '');
      i += token.length;
    } else {
      out += ch;
      i += 1;
    }
  }
  return { masked: out, unterminated };
}

/** Masks comments and string contents with spaces, keeping line structure, so code-level checks do not trip over text. */
export function maskPowerShell(source: string, options: { keepStrings?: boolean } = {}): string {
  return scanPowerShell(source, options.keepStrings ?? false).masked;
}

/** Brackets must balance outside strings and comments. */
export function checkBalanced(masked: string): string[] {
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  const stack: { ch: string; line: number }[] = [];
  const problems: string[] = [];
  let line = 1;
  for (const ch of masked) {
    if (ch === '\n') line += 1;
    else if (ch === '(' || ch === '{' || ch === '[') stack.push({ ch, line });
    else if (ch in pairs) {
      const open = stack.pop();
      if (!open || open.ch !== pairs[ch]) problems.push(`line ${line}: unmatched ${ch}`);
    }
  }
  for (const open of stack) problems.push(`line ${open.line}: ${open.ch} is never closed`);
  return problems;
}

/** Syntax that Windows PowerShell 5.1 does not have, and automatic variables a script must not overwrite. */
const ps7Only: [RegExp, string][] = [
  [/&&|\|\|/, 'pipeline chain operators (&& ||) need PowerShell 7'],
  [/\?\?|\?\./, 'null-coalescing and null-conditional operators need PowerShell 7'],
  [/-Parallel\b|-AsHashtable\b|-SkipCertificateCheck\b|\bGet-Error\b|\bJoin-String\b|\bTest-Json\b/i, 'a PowerShell 7 cmdlet or parameter'],
  [/\$Is(Windows|Linux|MacOS)\b/i, '$IsWindows and friends need PowerShell 6+'],
];
// not $null: `$null = <expr>` is how PowerShell discards a value
const automatic =
  '_|host|matches|input|args|error|event|sender|this|pid|home|profile|pwd|true|false|psitem|lastexitcode|myinvocation|' +
  'psscriptroot|pscommandpath|psboundparameters|pscmdlet|executioncontext|shellid|pshome|psversiontable|foreach|switch';
const assignsAutomatic = new RegExp(`\\$(${automatic})\\s*=[^=]|foreach\\s*\\(\\s*\\$(${automatic})\\s+in\\b`, 'i');

const psmPath = fileURLToPath(new URL('../assets/Fixpoint.psm1', import.meta.url));
/** The functions the agent's PowerShell module exports. */
export const fixpointPsFunctions = (/Export-ModuleMember\s+-Function\s+([^\n]+)/.exec(readFileSync(psmPath, 'utf8'))?.[1] ?? '')
  .split(',')
  .map((s) => s.trim().replace(/^'(.*)'$/, '$1'))
  .filter(Boolean);

/**
 * Checks for any PowerShell the product ships or generates: every string ends, brackets balance, no PowerShell 7
 * syntax, no assignment to an automatic variable (`$home = …` changes nothing, or fails: $HOME is read-only).
 */
export function lintPowerShell(source: string): string[] {
  const { masked, unterminated } = scanPowerShell(source, false);
  const problems = [...unterminated.map((line) => `line ${line}: a string is never closed`), ...checkBalanced(masked)];
  masked.split('\n').forEach((text, n) => {
    for (const [pattern, why] of ps7Only) if (pattern.test(text)) problems.push(`line ${n + 1}: ${why}`);
    if (assignsAutomatic.test(text)) problems.push(`line ${n + 1}: overwrites an automatic variable: ${text.trim()}`);
  });
  return problems;
}

/** Library scripts: {@link lintPowerShell}, only exported helpers, and parameters from the environment only. */
export function checkPowerShell(source: string): string[] {
  const masked = maskPowerShell(source);
  const problems = lintPowerShell(source);
  masked.split('\n').forEach((text, n) => {
    for (const [name] of text.matchAll(/\b[A-Za-z]+-Fixpoint[A-Za-z]*\b/g))
      if (!fixpointPsFunctions.includes(name)) problems.push(`line ${n + 1}: ${name} is not exported by the Fixpoint module`);
  });
  // Parameters come from the environment only: $env:FIXPOINT_PARAM_X, never $args, a param() block or the JSON file.
  const code = maskPowerShell(source, { keepStrings: true });
  for (const m of code.matchAll(/FIXPOINT_PARAM_\w*/g))
    if (code.slice(Math.max(0, m.index - 5), m.index) !== '$env:') problems.push(`${m[0]} is read some other way than $env:`);
  if (/\$args\b|FIXPOINT_PARAMS_FILE/i.test(masked)) problems.push('reads parameters from $args or the parameters file');
  if (/^\s*param\s*\(/im.test(masked.split('\n').filter((l) => !/^\s{4,}/.test(l)).join('\n')))
    problems.push('a script-level param() block would take parameters from the command line');
  return problems;
}

/** Lines without their comments (a # that starts a word), for regex checks on sh and zsh code. */
const codeLines = (source: string) => source.split('\n').map((line) => line.replace(/(^|\s)#.*$/, '$1'));

/** Constructs dash and busybox ash do not have. Quoted text can trigger a false alarm; none of the library's does. */
const bashisms: [RegExp, string][] = [
  [/\[\[/, '[[ ]] is not POSIX'],
  [/^\s*function\s/, 'the function keyword is not POSIX'],
  [/(^|[\s=(])\$'/, "$'...' quoting is not POSIX"],
  [/<<<|<\(|>\(/, 'here-strings and process substitution are not POSIX'],
  [/\$\{\w+:\d/, 'substring expansion is not POSIX'],
  [/\$\{\w+\/\//, 'pattern substitution is not POSIX'],
  [/^\s*\w+=\(/, 'arrays are not POSIX'],
  [/\becho\s+-[ne]\b/, 'echo -n/-e is not portable; use printf'],
  [/(^|[;&|]\s*)source\s/, 'source is not POSIX; use .'],
  [/\[ [^\]]*==/, '== inside [ ] is not POSIX'],
];

/** POSIX sh portability problems in a Linux script. */
export function checkPosixSh(source: string): string[] {
  const problems: string[] = [];
  codeLines(source).forEach((text, n) => {
    for (const [pattern, why] of bashisms) if (pattern.test(text)) problems.push(`line ${n + 1}: ${why}: ${text.trim()}`);
  });
  return problems;
}

/** zsh special parameters a script must not assign: `path` is tied to PATH, `status` is read-only. */
export function checkZsh(source: string): string[] {
  const problems: string[] = [];
  codeLines(source).forEach((text, n) => {
    if (/(^|[;\s])(path|status|argv|pipestatus|options|commands)=/.test(text)) problems.push(`line ${n + 1}: assigns a zsh special parameter`);
  });
  return problems;
}

/** The output names a script writes: `fixpoint output [--json] NAME` or `Set-FixpointOutput -Name NAME`. */
export function outputsWritten(source: string): Set<string> {
  const names = new Set<string>();
  for (const m of source.matchAll(/fixpoint output (?:--json )?([a-z][a-z0-9_]*)/g)) names.add(m[1]!);
  for (const m of source.matchAll(/Set-FixpointOutput -Name ([a-z][a-z0-9_]*)/g)) names.add(m[1]!);
  return names;
}

/** The parameter names (upper-cased) a script reads from FIXPOINT_PARAM_*. */
export function parametersRead(source: string): Set<string> {
  return new Set([...source.matchAll(/FIXPOINT_PARAM_([A-Za-z0-9_]+)/g)].map((m) => m[1]!.toUpperCase()));
}
