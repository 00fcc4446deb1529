import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { failedOf, nextOf, previousOf, removeFailed, restorePrevious, swapIn, type SwapStyle } from './swap';

let dir = '';
afterEach(() => void (dir && rmSync(dir, { recursive: true, force: true })));

function setUp(name: string, style: SwapStyle): string {
  dir = mkdtempSync(join(tmpdir(), `fixpoint-swap-${style}-`));
  const binary = join(dir, name);
  writeFileSync(binary, 'A');
  writeFileSync(nextOf(binary, style), 'B');
  return binary;
}

const read = (file: string) => readFileSync(file, 'utf8');

describe('the names beside the binary', () => {
  it('keep .exe last on Windows, so each is still a program to start', () => {
    expect(nextOf('C:\\Fixpoint\\fixpoint-agent.exe', 'windows')).toBe('C:\\Fixpoint\\fixpoint-agent.next.exe');
    expect(previousOf('C:\\Fixpoint\\fixpoint-agent.exe', 'windows')).toBe('C:\\Fixpoint\\fixpoint-agent.previous.exe');
    expect(failedOf('C:\\Fixpoint\\fixpoint-agent.EXE', 'windows')).toBe('C:\\Fixpoint\\fixpoint-agent.failed.EXE');
    expect(nextOf('/opt/fixpoint/fixpoint-agent', 'posix')).toBe('/opt/fixpoint/fixpoint-agent.next');
  });
});

describe.each(['posix', 'windows'] as const)('swapping the binary (%s), on real files', (style) => {
  const name = style === 'windows' ? 'fixpoint-agent.exe' : 'fixpoint-agent';

  it('puts the new one in place and keeps the running one as the previous', () => {
    const binary = setUp(name, style);
    swapIn(binary, style);
    expect(read(binary)).toBe('B');
    expect(read(previousOf(binary, style))).toBe('A');
    expect(existsSync(nextOf(binary, style))).toBe(false);
  });

  it('replaces the previous of an earlier update', () => {
    const binary = setUp(name, style);
    writeFileSync(previousOf(binary, style), 'older');
    swapIn(binary, style);
    expect([read(binary), read(previousOf(binary, style))]).toEqual(['B', 'A']);
  });

  it('rolls back: the previous is the binary again and stays as the previous', () => {
    const binary = setUp(name, style);
    swapIn(binary, style);
    restorePrevious(binary, style);
    expect(read(binary)).toBe('A');
    expect(read(previousOf(binary, style))).toBe('A');
    if (style === 'windows') {
      // the new binary was running: it renamed itself away, to be deleted at a later start
      expect(read(failedOf(binary, style))).toBe('B');
      removeFailed(binary, style);
      expect(existsSync(failedOf(binary, style))).toBe(false);
    }
    expect(readdirSync(dir).sort()).toEqual([name, previousOf(name, style)].sort());
  });

  it('keeps the running binary in place when the new one is missing', () => {
    const binary = setUp(name, style);
    rmSync(nextOf(binary, style));
    expect(() => swapIn(binary, style)).toThrow(/ENOENT/);
    expect(read(binary)).toBe('A');
  });
});
