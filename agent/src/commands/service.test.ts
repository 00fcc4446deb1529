import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/helpers';
import { installService, launchdPlist, systemdUnit, uninstallService, windowsServiceCommands } from './service';
import { trayDesktopEntry, trayLaunchAgentPlist, trayRunKeyCommand } from './autostart';

const spec = { nodePath: '/usr/bin/node', scriptPath: '/opt/fixpoint agent/fixpoint-agent.mjs', stateDir: '/var/lib/fixpoint-agent' };

describe('service definitions', () => {
  it('generates a systemd unit that restarts the agent and lets it end its own script trees', () => {
    const unit = systemdUnit({ ...spec, stateDir: '/var/lib/100%"x' });
    expect(unit).toContain('ExecStart="/usr/bin/node" "--max-semi-space-size=1" "--max-old-space-size=128" "/opt/fixpoint agent/fixpoint-agent.mjs" run\n');
    expect(unit).toContain('Environment="FIXPOINT_AGENT_STATE_DIR=/var/lib/100%%\\"x"\n');
    for (const line of ['Restart=always', 'KillMode=mixed', 'UMask=0077', 'WantedBy=multi-user.target', 'After=network-online.target'])
      expect(unit).toContain(`${line}\n`);
  });

  it('generates an escaped launchd plist', () => {
    const plist = launchdPlist({ ...spec, scriptPath: '/opt/a&b/<agent>.mjs' });
    expect(plist).toContain('<string>/opt/a&amp;b/&lt;agent&gt;.mjs</string>');
    expect(plist).toContain('<key>KeepAlive</key><true/>');
    expect(plist).toContain('<string>--max-semi-space-size=1</string>\n    <string>--max-old-space-size=128</string>\n    <string>/opt/a&amp;b/&lt;agent&gt;.mjs</string>\n    <string>run</string>');
    expect(plist).toContain('<key>FIXPOINT_AGENT_STATE_DIR</key><string>/var/lib/fixpoint-agent</string>');
  });

  it('generates sc.exe commands, with an optional service host', () => {
    const cmds = windowsServiceCommands({ nodePath: 'C:\\node\\node.exe', scriptPath: 'C:\\Fixpoint\\agent.mjs', stateDir: 'C:\\ProgramData\\Fixpoint' });
    expect(cmds[0]).toEqual(['sc.exe', 'create', 'FixpointAgent', 'binPath=', '"C:\\node\\node.exe" "--max-semi-space-size=1" "--max-old-space-size=128" "C:\\Fixpoint\\agent.mjs" "run"', 'start=', 'auto', 'obj=', 'LocalSystem', 'DisplayName=', 'Fixpoint Agent']);
    expect(cmds.at(-1)).toEqual(['sc.exe', 'start', 'FixpointAgent']);
    const hosted = windowsServiceCommands({ ...spec, serviceHost: 'C:\\Fixpoint\\host.exe' });
    expect(hosted[0]![4]).toMatch(/^"C:\\Fixpoint\\host.exe" /);
  });

  it('installs and uninstalls the systemd unit under a root prefix', async () => {
    const root = tempDir();
    const calls: string[] = [];
    const run = async (cmd: string, args: string[]) => void calls.push([cmd, ...args].join(' '));
    const file = await installService(spec, { platform: 'linux', root, run });
    expect(file).toBe(join(root, 'etc/systemd/system/fixpoint-agent.service'));
    expect(readFileSync(file!, 'utf8')).toBe(systemdUnit(spec));
    expect(statSync(file!).mode & 0o777).toBe(0o644);
    expect(calls).toEqual(['systemctl daemon-reload', 'systemctl enable --now fixpoint-agent.service']);
    await uninstallService({ platform: 'linux', root, run });
    expect(existsSync(file!)).toBe(false);
    expect(calls.slice(2)).toEqual(['systemctl disable --now fixpoint-agent.service', 'systemctl daemon-reload']);
  });

  it('installs the launchd plist and bootstraps it', async () => {
    const root = tempDir();
    const calls: string[] = [];
    const file = await installService(spec, { platform: 'darwin', root, run: async (c, a) => void calls.push([c, ...a].join(' ')) });
    expect(readFileSync(file!, 'utf8')).toBe(launchdPlist(spec));
    expect(calls).toEqual([`launchctl bootstrap system ${file}`]);
  });
});

describe('tray autostart', () => {
  const tray = { nodePath: '/usr/bin/node', trayPath: '/opt/fix point/100%/fixpoint-tray.mjs' };

  it('generates an XDG autostart entry with the Exec line quoted', () => {
    const entry = trayDesktopEntry({ ...tray, trayPath: '/opt/a"b/$x`y`/100%/t.mjs' });
    expect(entry).toContain('Exec="/usr/bin/node" "/opt/a\\"b/\\$x\\`y\\`/100%%/t.mjs"\n');
    expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
  });

  it('generates a LaunchAgent for GUI sessions and a Run key value', () => {
    const plist = trayLaunchAgentPlist({ ...tray, trayPath: '/opt/<t>&.mjs' });
    expect(plist).toContain('<string>/opt/&lt;t&gt;&amp;.mjs</string>');
    expect(plist).toContain('<key>LimitLoadToSessionType</key><string>Aqua</string>');
    const reg = trayRunKeyCommand({ nodePath: 'C:\\node\\node.exe', trayPath: "C:\\Fix'point\\tray.mjs" });
    expect(reg.slice(0, 7)).toEqual(['reg', 'add', 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', '/v', 'FixpointTray', '/t', 'REG_SZ']);
    expect(reg[8]).toBe(`powershell.exe -NoProfile -WindowStyle Hidden -Command "& 'C:\\node\\node.exe' 'C:\\Fix''point\\tray.mjs'"`);
  });

  it('installs and removes the autostart entry with the service', async () => {
    const root = tempDir();
    const calls: string[][] = [];
    const run = async (cmd: string, args: string[]) => void calls.push([cmd, ...args]);
    await installService({ ...spec, trayPath: tray.trayPath }, { platform: 'linux', root, run });
    const file = join(root, 'etc/xdg/autostart/fixpoint-tray.desktop');
    expect(readFileSync(file, 'utf8')).toContain('100%%/fixpoint-tray.mjs');
    await uninstallService({ platform: 'linux', root, run });
    expect(existsSync(file)).toBe(false);
    await installService({ ...spec, trayPath: tray.trayPath }, { platform: 'win32', root, run });
    expect(calls.some((c) => c[0] === 'reg' && c[1] === 'add')).toBe(true);
  });
});
