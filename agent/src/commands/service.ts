/**
 * @module `fixpoint-agent install|uninstall`: registers the agent as a system service that starts at boot and
 * restarts on failure: a systemd unit on Linux, a launchd daemon on macOS, a Windows service hosted by WinSW
 * (`windows-service.ts`). On Windows the state folder also gets its ACL (SYSTEM and Administrators only) here, before
 * the agent first writes its key into it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCommand, type CommandRunner, type OutputRunner } from '../exec/run-command';
import { restrictStateDir } from '../state/windows-acl';
import { installTrayAutostart, uninstallTrayAutostart } from './autostart';
import { traySpec } from './tray-location';
import { installWindowsService, uninstallWindowsService } from './windows-service';
import { agentCommand, type ServiceSpec } from './service-spec';
import { escapeXml } from './xml-text';

export const SERVICE_NAME = 'fixpoint-agent';
export const LAUNCHD_LABEL = 'com.fixpoint.agent';

/** systemd argument quoting: double quotes, with `\` and `"` escaped, and `%` doubled (specifier escape). */
const systemdQuote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`;

/** The systemd unit. KillMode=mixed: SIGTERM reaches the agent only, which ends its script trees itself. */
export function systemdUnit(spec: ServiceSpec): string {
  return `[Unit]
Description=Fixpoint device agent
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
ExecStart=${agentCommand(spec).map(systemdQuote).join(' ')} run
Environment=${systemdQuote(`FIXPOINT_AGENT_STATE_DIR=${spec.stateDir}`)}
Restart=always
RestartSec=5
KillMode=mixed
TimeoutStopSec=15
UMask=0077

[Install]
WantedBy=multi-user.target
`;
}

/** The launchd daemon property list. */
export function launchdPlist(spec: ServiceSpec): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${[...agentCommand(spec), 'run'].map((arg) => `    <string>${escapeXml(arg)}</string>`).join('\n')}
  </array>
  <key>EnvironmentVariables</key>
  <dict>
    <key>FIXPOINT_AGENT_STATE_DIR</key><string>${escapeXml(spec.stateDir)}</string>
  </dict>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><true/>
  <key>ThrottleInterval</key><integer>5</integer>
  <key>Umask</key><integer>63</integer>
  <key>StandardErrorPath</key><string>/Library/Logs/Fixpoint/agent.log</string>
</dict>
</plist>
`;
}

export interface InstallOptions {
  platform: NodeJS.Platform;
  /** Prefix for the files written (tests install into a temp dir). */
  root?: string;
  run?: CommandRunner;
  /** Reads a command's output (macOS: which GUI sessions are open). */
  output?: OutputRunner;
  /** Windows: the Start-menu shortcut of the tray (tests name a file of their own). */
  shortcutPath?: string;
}

export interface UninstallOptions extends InstallOptions {
  /** Windows: the agent's folder, where the service host was installed. */
  agentDir?: string;
}

/** Writes the service definition and enables the service. Returns the file written, if any. */
export async function installService(spec: ServiceSpec, options: InstallOptions): Promise<string | null> {
  const root = options.root ?? '/';
  const run = options.run ?? runCommand;
  if (options.platform === 'win32') {
    mkdirSync(spec.stateDir, { recursive: true });
    await restrictStateDir(spec.stateDir, 'win32', run);
  }
  if (spec.trayPath) await installTrayAutostart(traySpec(spec.nodePath, spec.trayPath), { ...options, root, run });
  if (options.platform === 'win32') return installWindowsService(spec, run);
  if (options.platform === 'darwin') {
    const file = join(root, 'Library/LaunchDaemons', `${LAUNCHD_LABEL}.plist`);
    mkdirSync(dirname(file), { recursive: true });
    mkdirSync(join(root, 'Library/Logs/Fixpoint'), { recursive: true });
    writeFileSync(file, launchdPlist(spec), { mode: 0o644 });
    await run('launchctl', ['bootstrap', 'system', file]);
    return file;
  }
  const file = join(root, 'etc/systemd/system', `${SERVICE_NAME}.service`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, systemdUnit(spec), { mode: 0o644 });
  await run('systemctl', ['daemon-reload']);
  await run('systemctl', ['enable', '--now', `${SERVICE_NAME}.service`]);
  return file;
}

/** Stops and removes the service. The state dir (identity, journal) stays unless the caller deletes it. */
export async function uninstallService(options: UninstallOptions): Promise<void> {
  const root = options.root ?? '/';
  const run = options.run ?? runCommand;
  const tolerant = (cmd: string, args: string[]) => run(cmd, args).catch(() => undefined);
  await uninstallTrayAutostart({ ...options, root, run });
  if (options.platform === 'win32') {
    if (!options.agentDir) throw new Error('uninstalling the Windows service needs the agent folder');
    return uninstallWindowsService(options.agentDir, run);
  }
  if (options.platform === 'darwin') {
    await tolerant('launchctl', ['bootout', `system/${LAUNCHD_LABEL}`]);
    rmSync(join(root, 'Library/LaunchDaemons', `${LAUNCHD_LABEL}.plist`), { force: true });
    return;
  }
  await tolerant('systemctl', ['disable', '--now', `${SERVICE_NAME}.service`]);
  rmSync(join(root, 'etc/systemd/system', `${SERVICE_NAME}.service`), { force: true });
  await tolerant('systemctl', ['daemon-reload']);
}
