// @vitest-environment node
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fallbackScreen, parseScreenSize, screenSize, screenSizeCommand } from './screen-size';

describe('screen size', () => {
  it('asks macOS through AppKit, scripting no application (no Automation prompt)', () => {
    const { command, args } = screenSizeCommand('darwin');
    expect(command).toBe('/usr/bin/osascript');
    expect(args.slice(0, 3)).toEqual(['-l', 'JavaScript', '-e']);
    const script = args.join(' ');
    expect(script).not.toMatch(/Finder/i);
    expect(script).not.toMatch(/tell\s+application/i);
    expect(script).not.toMatch(/Application\(/);
    expect(script).toContain('NSScreen');
    // the script is JavaScript: it must at least parse (it runs in JavaScriptCore, with the ObjC bridge as `$`)
    expect(() => new Function('ObjC', '$', args[3]!)).not.toThrow();
  });

  it('reads what osascript prints, whole or fractional points', () => {
    expect(parseScreenSize('1440x875\n', 'darwin')).toEqual({ width: 1440, height: 875 });
    expect(parseScreenSize('1512x944.5\n', 'darwin')).toEqual({ width: 1512, height: 944 });
    expect(parseScreenSize('execution error: Error: ReferenceError: Can\'t find variable: $ (-2700)\n', 'darwin')).toBeNull();
    expect(parseScreenSize('0, 0, 1440, 900\n', 'darwin')).toBeNull();
    expect(parseScreenSize('0x0\n', 'darwin')).toBeNull();
    expect(parseScreenSize('', 'darwin')).toBeNull();
  });

  it('reads the Windows working area and xwininfo', () => {
    expect(parseScreenSize('1920x1040\r\n', 'win32')).toEqual({ width: 1920, height: 1040 });
    expect(parseScreenSize('Add-Type : Could not load file or assembly\r\n', 'win32')).toBeNull();
    expect(parseScreenSize('  Width: 1280\n  Height: 800\n', 'linux')).toEqual({ width: 1280, height: 800 });
    expect(parseScreenSize('xwininfo: unable to open display', 'linux')).toBeNull();
  });

  it.skipIf(process.platform === 'win32')('runs the command and falls back when it fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fixpoint-screen-'));
    const path = process.env.PATH;
    try {
      // a stand-in xwininfo first on PATH, so the command runs for real and its output goes through the parser
      writeFileSync(join(dir, 'xwininfo'), '#!/bin/sh\nprintf "  Width: 2560\\n  Height: 1440\\n"\n');
      chmodSync(join(dir, 'xwininfo'), 0o755);
      process.env.PATH = `${dir}${delimiter}${path}`;
      expect(await screenSize('linux')).toEqual({ width: 2560, height: 1440 });
      writeFileSync(join(dir, 'xwininfo'), '#!/bin/sh\nexit 1\n');
      expect(await screenSize('linux')).toEqual(fallbackScreen);
    } finally {
      process.env.PATH = path;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
