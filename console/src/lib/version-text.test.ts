import { ActionDefinition, diffLines } from '@fixpoint/protocol';
import { describe, expect, it } from 'vitest';
import { versionLines } from './version-text';

const base = ActionDefinition.parse({
  slug: 'clean-temp',
  name: 'Clean temp',
  purpose: 'remediation',
  description: 'Removes old files.\nKeeps today’s.',
  scripts: { windows: { source: 'Remove-Item $env:TEMP\\*\r\nWrite-Output done' }, linux: { source: 'rm -rf /tmp/x' } },
  parameters: [{ name: 'Days', type: 'int', default: 7, description: 'age' }, { name: 'Token', type: 'string', secret: true }],
  outputs: [{ name: 'freed', type: 'size' }],
});

describe('versionLines', () => {
  it('lists settings, parameters, outputs and each script under a header', () => {
    const lines = versionLines(base);
    expect(lines).toContain('timeoutSec: 300');
    expect(lines).toContain('  Keeps today’s.');
    expect(lines).toContain('parameter Days (int, optional); default 7 — age');
    expect(lines).toContain('parameter Token (string, optional, secret)');
    expect(lines).toContain('output freed (size)');
    const win = lines.indexOf('──── windows script (powershell) ────');
    expect(lines.slice(win + 1, win + 3)).toEqual(['Remove-Item $env:TEMP\\*', 'Write-Output done']);
    expect(lines).toContain('──── linux script (sh) ────');
    expect(lines.some((l) => l.includes('macos'))).toBe(false);
  });

  it('turns a one-line script change into a one-line diff', () => {
    const next = { ...base, scripts: { ...base.scripts, linux: { shell: 'sh' as const, source: 'rm -rf /tmp/y' } } };
    const changes = diffLines(versionLines(base), versionLines(next)).filter((l) => l.kind !== 'same');
    expect(changes.map((l) => `${l.kind} ${l.text}`)).toEqual(['del rm -rf /tmp/x', 'add rm -rf /tmp/y']);
  });
});
