import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parse as parsePlist } from 'plist';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/helpers';
import { installService, launchdPlist, systemdUnit, uninstallService } from './service';
import { AGENT_NODE_FLAGS } from './service-spec';
import { trayDesktopEntry, trayLaunchAgentPlist, trayRunKeyCommand } from './autostart';

const spec = { nodePath: '/usr/bin/node', scriptPath: '/opt/fixpoint agent/fixpoint-agent.mjs', stateDir: '/var/lib/fixpoint-agent' };
// paths no installer should trip on: XML specials, both quotes, spaces
const awkward = { nodePath: `/opt/n "q" & 'a'/node`, scriptPath: '/opt/a&b/<agent> x.mjs', stateDir: '/var/lib/<s>&"t\'' };

/** The element type (string, integer, true, array, dict…) of each key of a property list's top dict. */
function plistTypes(text: string): Record<string, string> {
  const doc = new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseTagValue: false }).parse(text) as Record<string, unknown[]>[];
  const plist = doc.find((node) => 'plist' in node)!.plist as Record<string, Record<string, unknown>[]>[];
  const dict = plist.find((node) => 'dict' in node)!.dict!;
  const types: Record<string, string> = {};
  for (let i = 0; i < dict.length; i += 2) {
    const key = (dict[i]!.key as { '#text': string }[])[0]!['#text'];
    types[key] = Object.keys(dict[i + 1]!).find((k) => k !== ':@')!;
  }
  return types;
}

describe('service definitions', () => {
  it('generates a systemd unit that restarts the agent and lets it end its own script trees', () => {
    const unit = systemdUnit({ ...spec, stateDir: '/var/lib/100%"x' });
    expect(unit).toContain(`ExecStart="/usr/bin/node" ${AGENT_NODE_FLAGS.map((f) => `"${f}"`).join(' ')} "/opt/fixpoint agent/fixpoint-agent.mjs" run\n`);
    expect(unit).toContain('Environment="FIXPOINT_AGENT_STATE_DIR=/var/lib/100%%\\"x"\n');
    for (const line of ['Restart=always', 'KillMode=mixed', 'UMask=0077', 'WantedBy=multi-user.target', 'After=network-online.target'])
      expect(unit).toContain(`${line}\n`);
  });

  it('starts a single-file agent executable alone, for systemd and launchd', () => {
    const binary = { nodePath: '/usr/lib/fixpoint/fixpoint-agent', stateDir: '/var/lib/fixpoint-agent' };
    expect(systemdUnit(binary)).toContain('ExecStart="/usr/lib/fixpoint/fixpoint-agent" run\n');
    expect((parsePlist(launchdPlist(binary)) as { ProgramArguments: string[] }).ProgramArguments).toEqual([binary.nodePath, 'run']);
  });

  it('generates a launchd daemon plist a plist parser reads back, awkward paths included', () => {
    const text = launchdPlist(awkward);
    expect(parsePlist(text)).toEqual({
      Label: 'com.fixpoint.agent',
      ProgramArguments: [awkward.nodePath, ...AGENT_NODE_FLAGS, awkward.scriptPath, 'run'],
      EnvironmentVariables: { FIXPOINT_AGENT_STATE_DIR: awkward.stateDir },
      RunAtLoad: true,
      KeepAlive: true,
      ThrottleInterval: 5,
      Umask: 63,
      StandardErrorPath: '/Library/Logs/Fixpoint/agent.log',
    });
    expect(plistTypes(text)).toEqual({
      Label: 'string',
      ProgramArguments: 'array',
      EnvironmentVariables: 'dict',
      RunAtLoad: 'true',
      KeepAlive: 'true',
      ThrottleInterval: 'integer',
      Umask: 'integer',
      StandardErrorPath: 'string',
    });
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

  it('on Windows restricts the state folder, registers the tray and installs the service through its host', async () => {
    const dir = tempDir();
    const agentDir = join(dir, 'Fixpoint Agent');
    mkdirSync(agentDir);
    writeFileSync(join(agentDir, 'winsw.exe'), 'host');
    writeFileSync(join(agentDir, 'winsw.exe.config'), '<configuration/>');
    const win = { nodePath: 'C:\\node\\node.exe', scriptPath: join(agentDir, 'fixpoint-agent.mjs'), stateDir: join(dir, 'state'), trayPath: 'C:\\Fixpoint\\tray.mjs' };
    const calls: string[][] = [];
    const run = async (cmd: string, args: string[]) => void calls.push([cmd, ...args]);
    const shortcutPath = join(dir, 'Fixpoint.lnk');
    const xml = await installService(win, { platform: 'win32', run, shortcutPath });
    const host = join(agentDir, 'fixpoint-agent-service.exe');
    expect(calls.map((c) => c.slice(0, 2))).toEqual([['icacls', win.stateDir], ['reg', 'add'], ['powershell.exe', '-NoProfile'], [host, 'install'], [host, 'start']]);
    expect(calls[0]).toEqual(['icacls', win.stateDir, '/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F']);
    expect(calls.flat()).not.toContain('sc.exe');
    expect(xml).toBe(join(agentDir, 'fixpoint-agent-service.xml'));
    expect(readFileSync(host, 'utf8')).toBe('host');
    expect(readFileSync(`${host}.config`, 'utf8')).toBe('<configuration/>');

    writeFileSync(shortcutPath, 'link');
    calls.length = 0;
    await uninstallService({ platform: 'win32', run, shortcutPath, agentDir });
    expect(calls.map((c) => c.slice(0, 2))).toEqual([['reg', 'delete'], [host, 'stop'], [host, 'uninstall']]);
    for (const gone of [shortcutPath, host, `${host}.config`, xml!]) expect(existsSync(gone)).toBe(false);
  });

  it('refuses a Windows install without a service host, before registering anything', async () => {
    const dir = tempDir();
    const calls: string[][] = [];
    const win = { nodePath: 'C:\\node\\node.exe', scriptPath: join(dir, 'fixpoint-agent.mjs'), stateDir: join(dir, 'state') };
    await expect(installService(win, { platform: 'win32', run: async (c, a) => void calls.push([c, ...a]) })).rejects.toThrow(/no Windows service host/);
    expect(calls.map((c) => c[0])).toEqual(['icacls']);
  });
});

describe('tray autostart', () => {
  const tray = { nodePath: '/usr/bin/node', trayPath: '/opt/fix point/100%/fixpoint-tray.mjs' };

  it('generates an XDG autostart entry with the Exec line quoted', () => {
    const entry = trayDesktopEntry({ ...tray, trayPath: '/opt/a"b/$x`y`/100%/t.mjs' });
    expect(entry).toContain('Exec="/usr/bin/node" "/opt/a\\"b/\\$x\\`y\\`/100%%/t.mjs"\n');
    expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
  });

  it('generates a LaunchAgent for GUI sessions that a plist parser reads back, awkward paths included', () => {
    const paths = { nodePath: `/Users/o'neil/"n" & <b>/node`, trayPath: '/opt/<t>&"x".mjs' };
    const text = trayLaunchAgentPlist(paths);
    expect(parsePlist(text)).toEqual({
      Label: 'com.fixpoint.tray',
      ProgramArguments: [paths.nodePath, paths.trayPath],
      LimitLoadToSessionType: 'Aqua',
      RunAtLoad: true,
      KeepAlive: true,
      ProcessType: 'Interactive',
    });
    expect(plistTypes(text)).toEqual({
      Label: 'string',
      ProgramArguments: 'array',
      LimitLoadToSessionType: 'string',
      RunAtLoad: 'true',
      KeepAlive: 'true',
      ProcessType: 'string',
    });
  });

  it('generates the Run key value', () => {
    const reg = trayRunKeyCommand({ nodePath: 'C:\\node\\node.exe', trayPath: "C:\\Fix'point\\tray.mjs" });
    expect(reg.slice(0, 7)).toEqual(['reg', 'add', 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', '/v', 'FixpointTray', '/t', 'REG_SZ']);
    expect(reg[8]).toBe(`powershell.exe -NoProfile -WindowStyle Hidden -Command "& 'C:\\node\\node.exe' 'C:\\Fix''point\\tray.mjs'"`);
  });

  it('installs and removes the autostart entry with the service', async () => {
    const root = tempDir();
    const run = async () => undefined;
    await installService({ ...spec, trayPath: tray.trayPath }, { platform: 'linux', root, run });
    const file = join(root, 'etc/xdg/autostart/fixpoint-tray.desktop');
    expect(readFileSync(file, 'utf8')).toContain('100%%/fixpoint-tray.mjs');
    await uninstallService({ platform: 'linux', root, run });
    expect(existsSync(file)).toBe(false);
  });
});
