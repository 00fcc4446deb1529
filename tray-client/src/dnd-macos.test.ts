// @vitest-environment node
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { focusActive, focusAssertionsPath, parseConsoleLocked, parseFocusAssertions, resetFocusWarning } from './dnd-macos';
import { log } from './log';

const fixture = (name: string) => readFileSync(new URL(`./testing/macos/${name}`, import.meta.url), 'utf8');

describe('macOS Focus', () => {
  it('reads Assertions.json: a record means a Focus is on', () => {
    expect(parseFocusAssertions(fixture('assertions-focus-on.json'))).toBe(true);
    expect(parseFocusAssertions(fixture('assertions-focus-off.json'))).toBe(false);
    expect(parseFocusAssertions('{"data":[{"storeAssertionRecords":[]}]}')).toBe(false);
    expect(parseFocusAssertions('{"data":[]}')).toBe(false);
  });

  it('calls malformed files unknown', () => {
    expect(parseFocusAssertions('')).toBeNull();
    expect(parseFocusAssertions('{"data":')).toBeNull();
    expect(parseFocusAssertions('{"records":[]}')).toBeNull();
    expect(parseFocusAssertions('{"data":[{"storeAssertionRecords":"yes"}]}')).toBeNull();
    expect(parseFocusAssertions('null')).toBeNull();
  });

  describe('from the user’s home', () => {
    let home: string;
    beforeEach(() => {
      home = mkdtempSync(join(tmpdir(), 'fixpoint-focus-'));
      resetFocusWarning();
    });
    afterEach(() => {
      rmSync(home, { recursive: true, force: true });
      vi.restoreAllMocks();
    });
    const put = (text: string) => {
      mkdirSync(dirname(focusAssertionsPath(home)), { recursive: true });
      writeFileSync(focusAssertionsPath(home), text);
    };

    it('is on or off as the file says', async () => {
      expect(focusAssertionsPath(home)).toBe(join(home, 'Library/DoNotDisturb/DB/Assertions.json'));
      put(fixture('assertions-focus-on.json'));
      expect(await focusActive(home)).toBe(true);
      put(fixture('assertions-focus-off.json'));
      expect(await focusActive(home)).toBe(false);
    });

    it('is off, without a warning, when the file is missing (before macOS 12)', async () => {
      const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
      expect(await focusActive(home)).toBe(false);
      expect(warn).not.toHaveBeenCalled();
    });

    it('is off when the file cannot be read, and says so once', async () => {
      const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
      // a folder where the file should be: the read fails the way a denied one does, whoever runs the test
      mkdirSync(focusAssertionsPath(home), { recursive: true });
      expect(await focusActive(home)).toBe(false);
      expect(await focusActive(home)).toBe(false);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toContain('Full Disk Access');
    });

    it('is off when the file is malformed, and says so once', async () => {
      const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
      put('{"data": [');
      expect(await focusActive(home)).toBe(false);
      expect(await focusActive(home)).toBe(false);
      expect(warn).toHaveBeenCalledTimes(1);
    });
  });
});

describe('macOS screen lock', () => {
  it('reads the user’s console session from ioreg', () => {
    expect(parseConsoleLocked(fixture('ioreg-root-locked.txt'), 501)).toBe(true);
    expect(parseConsoleLocked(fixture('ioreg-root-unlocked.txt'), 501)).toBe(false);
    // another user's lock is not ours
    expect(parseConsoleLocked(fixture('ioreg-root-locked.txt'), 502)).toBe(false);
    expect(parseConsoleLocked(fixture('ioreg-root-locked.txt'), 50)).toBe(false);
  });

  it('counts a session switched away from the console as away', () => {
    expect(parseConsoleLocked(fixture('ioreg-root-switched.txt'), 501)).toBe(true);
    expect(parseConsoleLocked(fixture('ioreg-root-switched.txt'), 502)).toBe(false);
  });

  it('is not locked when ioreg says nothing', () => {
    expect(parseConsoleLocked('', 501)).toBe(false);
    expect(parseConsoleLocked('+-o Root  <class IORegistryEntry>\n    {\n    }\n', 501)).toBe(false);
  });
});
