// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { browserCandidates, findBrowser } from './browser';
import { browserNeeded, choosePromptWindow } from './prompt-window';

/** A filesystem that holds exactly `paths`. */
const holding = (...paths: string[]) => (p: string) => paths.includes(p);

describe('browser search paths', () => {
  it('looks in /Applications, then ~/Applications, on macOS: Chrome, Edge, Chromium', () => {
    expect(browserCandidates({ HOME: '/Users/ana' }, 'darwin')).toEqual([
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Users/ana/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Users/ana/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      '/Users/ana/Applications/Chromium.app/Contents/MacOS/Chromium',
    ]);
    expect(browserCandidates({}, 'darwin')).toHaveLength(3);
    const userChrome = '/Users/ana/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findBrowser({ HOME: '/Users/ana' }, 'darwin', holding(userChrome))).toBe(userChrome);
    expect(findBrowser({ HOME: '/Users/ana' }, 'darwin', holding('/Applications/Chromium.app/Contents/MacOS/Chromium', userChrome))).toBe('/Applications/Chromium.app/Contents/MacOS/Chromium');
  });

  it('looks in Program Files (both) and the user’s LocalAppData on Windows, Edge first', () => {
    const env = { 'ProgramFiles(x86)': 'C:\\PF86', ProgramFiles: 'C:\\PF', LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' };
    const candidates = browserCandidates(env, 'win32');
    expect(candidates).toHaveLength(9);
    expect(candidates[0]).toMatch(/^C:\\PF86.Microsoft.Edge.Application.msedge\.exe$/);
    expect(candidates.filter((c) => c.startsWith('C:\\Users\\ana'))).toHaveLength(3);
    const localChrome = candidates.find((c) => c.startsWith('C:\\Users') && c.includes('Google'))!;
    expect(findBrowser(env, 'win32', holding(localChrome))).toBe(localChrome);
    expect(browserCandidates({}, 'win32')).toEqual([]);
  });

  it('looks in /usr/bin and /snap/bin on Linux', () => {
    expect(browserCandidates({}, 'linux')).toContain('/usr/bin/chromium');
    expect(findBrowser({}, 'linux', holding('/snap/bin/chromium'))).toBe('/snap/bin/chromium');
    expect(findBrowser({}, 'linux', holding('/usr/bin/google-chrome', '/snap/bin/chromium'))).toBe('/usr/bin/google-chrome');
  });
});

describe('the prompt window’s choice', () => {
  it('takes the browser when there is one', () => {
    expect(choosePromptWindow({ env: {}, platform: 'darwin', exists: holding('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge', '/usr/bin/osascript') })).toEqual({
      kind: 'browser',
      browser: '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    });
    expect(choosePromptWindow({ env: { FIXPOINT_TRAY_BROWSER: '/opt/b' }, platform: 'linux', exists: holding() })).toEqual({ kind: 'browser', browser: '/opt/b' });
  });

  it('falls back to a WebKit window on a Mac with Safari only', () => {
    expect(choosePromptWindow({ env: { HOME: '/Users/ana' }, platform: 'darwin', exists: holding('/Applications/Safari.app/Contents/MacOS/Safari', '/usr/bin/osascript') })).toEqual({ kind: 'webkit' });
  });

  it('says what is missing elsewhere', () => {
    const none = { kind: 'none', reason: browserNeeded };
    expect(choosePromptWindow({ env: {}, platform: 'linux', exists: holding('/usr/bin/firefox', '/usr/bin/osascript') })).toEqual(none);
    expect(choosePromptWindow({ env: { ProgramFiles: 'C:\\PF' }, platform: 'win32', exists: holding() })).toEqual(none);
    expect(choosePromptWindow({ env: {}, platform: 'darwin', exists: holding() })).toEqual(none);
    expect(browserNeeded).toContain('needs Google Chrome, Microsoft Edge or Chromium');
  });
});
