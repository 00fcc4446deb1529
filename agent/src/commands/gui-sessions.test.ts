import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/helpers';
import { bootstrapInSessions, GUI_SESSION_PS, parseGuiSessionUids } from './gui-sessions';
import { installService, uninstallService } from './service';

// `ps -axo uid=,comm=` on macOS with two GUI sessions (501 in front, 502 switched away) and the login window's own
// loginwindow (root, as it runs while nobody is at the screen it shows)
const psOutput = `    0 /sbin/launchd
    0 /usr/libexec/logd
   88 /System/Library/PrivateFrameworks/SkyLight.framework/Resources/WindowServer
    0 /System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow
  501 /System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow
  501 /System/Library/CoreServices/Dock.app/Contents/MacOS/Dock
  501 /Applications/Utilities/Terminal.app/Contents/MacOS/Terminal
  503 /Users/eve/bin/not-loginwindow
  503 /Users/eve/loginwindow copy/run
  502 /System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow
  501 /System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow
`;

describe('GUI sessions on macOS', () => {
  it('finds the users of the loginwindow processes, root and look-alikes left out', () => {
    expect(parseGuiSessionUids(psOutput)).toEqual([501, 502]);
    expect(parseGuiSessionUids('    0 /System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow\n')).toEqual([]);
    expect(parseGuiSessionUids('')).toEqual([]);
  });

  it('ignores "already loaded" and goes on past a session that fails', async () => {
    const calls: string[] = [];
    const run = async (cmd: string, args: string[]) => {
      calls.push([cmd, ...args].join(' '));
      if (args[1] === 'gui/501') throw new Error('launchctl bootstrap gui/501 p: Bootstrap failed: 37: Operation already in progress');
      if (args[1] === 'gui/502') throw new Error('launchctl bootstrap gui/502 p: Bootstrap failed: 125: Domain does not support specified action');
    };
    await bootstrapInSessions([501, 502, 503], '/Library/LaunchAgents/com.fixpoint.tray.plist', run);
    expect(calls).toEqual([501, 502, 503].map((uid) => `launchctl bootstrap gui/${uid} /Library/LaunchAgents/com.fixpoint.tray.plist`));
  });

  it('loads the tray into the open sessions at install and unloads it at uninstall', async () => {
    const root = tempDir();
    const calls: string[] = [];
    const run = async (cmd: string, args: string[]) => void calls.push([cmd, ...args].join(' '));
    const output = async (cmd: string, args: string[]) => {
      expect([cmd, ...args]).toEqual(GUI_SESSION_PS);
      return psOutput;
    };
    const spec = { nodePath: '/usr/local/bin/node', scriptPath: '/opt/fixpoint/fixpoint-agent.mjs', stateDir: '/var/lib/fixpoint', trayPath: '/opt/fixpoint/fixpoint-tray.mjs' };
    const daemon = await installService(spec, { platform: 'darwin', root, run, output });
    const agent = join(root, 'Library/LaunchAgents/com.fixpoint.tray.plist');
    expect(readFileSync(agent, 'utf8')).toContain('<string>/opt/fixpoint/fixpoint-tray.mjs</string>');
    expect(calls).toEqual([`launchctl bootstrap gui/501 ${agent}`, `launchctl bootstrap gui/502 ${agent}`, `launchctl bootstrap system ${daemon}`]);

    calls.length = 0;
    await uninstallService({ platform: 'darwin', root, run, output });
    expect(calls).toEqual(['launchctl bootout gui/501/com.fixpoint.tray', 'launchctl bootout gui/502/com.fixpoint.tray', 'launchctl bootout system/com.fixpoint.agent']);
    expect(existsSync(agent)).toBe(false);
  });

  it('still installs when the sessions cannot be listed', async () => {
    const root = tempDir();
    const calls: string[] = [];
    const output = async () => {
      throw new Error('ps: not found');
    };
    const spec = { nodePath: '/n', scriptPath: '/a.mjs', stateDir: '/s', trayPath: '/t.mjs' };
    await installService(spec, { platform: 'darwin', root, run: async (c, a) => void calls.push([c, ...a].join(' ')), output });
    expect(calls).toEqual([`launchctl bootstrap system ${join(root, 'Library/LaunchDaemons/com.fixpoint.agent.plist')}`]);
  });
});
