/**
 * The Windows x64 single-file tray client (agent/sea/build-sea.mjs `buildTraySea`) under Wine: a PE carrying the
 * blob, marked as a GUI program so that starting it at logon opens no console window, with systray2's helper in
 * `traybin\` beside it, that prints its version through the pipe it is given, with no node.exe anywhere.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SEA_FUSE, buildTraySea } from '../sea/build-sea.mjs';
import { startWineNode } from './wine';

const runtime = inject('windows');
const work = mkdtempSync(join(tmpdir(), 'fixpoint-wine-tray-sea-'));
const exe = join(work, 'fixpoint-tray-win-x64.exe');

beforeAll(async () => {
  // cached in .cache/sea/ by the hash of the bundle: only a changed tray is injected again
  await buildTraySea({ targets: ['win-x64'], outDir: work, log: () => {} });
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the Windows x64 single-file tray', () => {
  it('is a PE GUI executable carrying the blob, with systray2\'s helper in traybin\\ beside it', () => {
    const bytes = readFileSync(exe);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('MZ');
    const pe = bytes.readUInt32LE(0x3c);
    expect(bytes.subarray(pe, pe + 4).toString('latin1')).toBe('PE\0\0');
    // the optional header's Subsystem: 2, Windows GUI (node.exe ships as 3, console)
    expect(bytes.readUInt16LE(pe + 24 + 68)).toBe(2);
    expect(bytes.includes(Buffer.from('NODE_SEA_BLOB', 'utf16le'))).toBe(true);
    expect(bytes.includes(Buffer.from(`${SEA_FUSE}:1`))).toBe(true);
    const helper = readFileSync(join(work, 'traybin', 'tray_windows_release.exe'));
    expect(helper.subarray(0, 2).toString('latin1')).toBe('MZ');
  });

  it.skipIf(!runtime)(`prints its version, commit and node under Wine${runtime ? '' : ' (skipped: wine64 is not installed)'}`, async () => {
    const version = startWineNode({ ...runtime!, nodeExe: exe }, work, ['--version']);
    expect(await version.done).toBe(0);
    expect(version.read('stdout')).toMatch(/^fixpoint-tray 0\.1\.0 \(commit (\w+), node v22\.23\.3\)\r?\n$/);
  }, 120_000);
});
