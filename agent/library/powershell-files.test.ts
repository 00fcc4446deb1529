/**
 * The PowerShell the repository ships as text: every `.ps1` and `.psm1` file and every Windows script of the action
 * library parses with the PowerShell grammar. And the checks themselves: they find what they are meant to find.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { powershellSyntaxErrors } from './powershell-parse';
import { lintPowerShell } from './script-checks';
import { loadLibrary } from './testing';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const skipped = new Set(['node_modules', 'dist', 'coverage', 'test-results', 'data']);

/** Every file under `dir` whose name ends in one of `extensions`, outside dependencies, build output and dot-folders. */
function filesEndingIn(dir: string, extensions: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || skipped.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesEndingIn(path, extensions);
    return extensions.some((ext) => entry.name.endsWith(ext)) ? [path] : [];
  });
}

const psFiles = filesEndingIn(repo, ['.ps1', '.psm1']).map((path) => [relative(repo, path), readFileSync(path, 'utf8')] as const);
const libraryScripts = loadLibrary().flatMap(({ action }) => (action.scripts.windows ? [[action.slug, action.scripts.windows.source] as const] : []));

describe('PowerShell files in the repository', () => {
  it('include the agent module', () => {
    expect(psFiles.map(([path]) => path)).toContain(join('agent', 'assets', 'Fixpoint.psm1'));
  });

  it.each(psFiles)('%s parses without errors and passes the lint', async (_path, source) => {
    expect(await powershellSyntaxErrors(source)).toEqual([]);
    expect(lintPowerShell(source)).toEqual([]);
  });
});

describe('the action library', () => {
  it('has Windows scripts', () => expect(libraryScripts.length).toBeGreaterThanOrEqual(12));

  it.each(libraryScripts)('%s (windows) parses without errors', async (_slug, source) => {
    expect(await powershellSyntaxErrors(source)).toEqual([]);
  });
});

describe('the PowerShell checks', () => {
  it('parse errors come with line and column: a brace never closed, a stray one, an unfinished string', async () => {
    expect(await powershellSyntaxErrors('function F {\n  Get-Date\n')).toEqual(['2:11: missing }']);
    expect(await powershellSyntaxErrors('if ($a) { $b = @(1, 2 }')).not.toEqual([]);
    expect(await powershellSyntaxErrors("Write-Output 'a\n$b = 1")).not.toEqual([]);
    expect(await powershellSyntaxErrors('$x = 1 +')).not.toEqual([]);
  });

  it('parse valid PowerShell 5.1 idioms, the assembly-qualified WinRT type literal and 1MB after an operator included', async () => {
    const valid = [
      '[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] | Out-Null',
      '$max = 2 * 1MB; "$($max / 1GB) GiB"',
      "$text = @'\nit's here\n'@\n$list = [System.Collections.Generic.List[string]]::new()",
      '$r = if ($a) { 1 } else { 2 }; $h = @{ a = 1; b = @(2, 3) }; $h["a"]',
    ];
    for (const source of valid) expect(await powershellSyntaxErrors(source), source).toEqual([]);
    // the bracket of an index is left alone, so a bad one is still an error
    expect(await powershellSyntaxErrors('$a[x.y, ]')).not.toEqual([]);
    expect(await powershellSyntaxErrors('$max = 2 * 1MB +')).not.toEqual([]);
  });

  it('the lint catches what parses but is wrong: $home assigned, PowerShell 7 syntax, a string ended by a typographic quote', () => {
    expect(lintPowerShell('$home = (Get-Item .).FullName').join()).toMatch(/line 1: overwrites an automatic variable/);
    expect(lintPowerShell('$n = 1; $HOME = "x"').join()).toMatch(/automatic variable/);
    expect(lintPowerShell('$userHome = 1; $homeDir = 2; if ($home -eq $x) { }; $null = $p.Handle')).toEqual([]);
    expect(lintPowerShell('foreach ($_ in $list) { }').join()).toMatch(/automatic variable/);
    expect(lintPowerShell('$a = $b ?? 1').join()).toMatch(/PowerShell 7/);
    // PowerShell ends a single-quoted string at ’ as at ': the rest of the line is code, and the last quote opens a string
    expect(lintPowerShell("$t = 'Don’t'; Show $t").join()).toMatch(/line 1: a string is never closed/);
    expect(lintPowerShell("$t = 'Don’’t'; Show $t")).toEqual([]);
  });
});
