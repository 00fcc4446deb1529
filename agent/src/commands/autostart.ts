/**
 * @module Starting the tray client in every user session, set up by `fixpoint-agent install` when the tray sits next
 * to the agent or is named with `--tray` (`tray-location.ts`): the tray bundle run by node, or the single-file tray alone.
 *
 * | platform | how | file or key |
 * |---|---|---|
 * | Linux | XDG autostart (GNOME, KDE, Xfce, …) | `/etc/xdg/autostart/fixpoint-tray.desktop` |
 * | macOS | a LaunchAgent, loaded in each GUI (Aqua) session | `/Library/LaunchAgents/com.fixpoint.tray.plist` |
 * | Windows | the machine-wide Run key, started at each logon | `HKLM\Software\Microsoft\Windows\CurrentVersion\Run` value `FixpointTray` |
 *
 * launchd loads a LaunchAgent only at the next login, so install also bootstraps it into the GUI sessions open now
 * (`gui-sessions.ts`). On Windows install also creates the tray's Start-menu shortcut, which registers the app id its
 * notifications need (`tray-shortcut.ts`).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { commandOutput, type CommandRunner, type OutputRunner } from '../exec/run-command';
import { bootoutInSessions, bootstrapInSessions, guiSessionUids } from './gui-sessions';
import { quotePowerShell } from '../exec/powershell-quote';
import { trayShortcutCommand, trayShortcutPath } from './tray-shortcut';
import { escapeXml } from './xml-text';

export const TRAY_LAUNCHD_LABEL = 'com.fixpoint.tray';
export const TRAY_RUN_VALUE = 'FixpointTray';
const runKey = 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run';

export interface TraySpec {
  /** The node that runs the tray bundle; absent when `trayPath` is the single-file tray, which runs alone. */
  nodePath?: string;
  trayPath: string;
}

/** The program and arguments that start the tray. */
export const trayCommand = (spec: TraySpec): string[] => (spec.nodePath ? [spec.nodePath, spec.trayPath] : [spec.trayPath]);

// Desktop entry Exec quoting: double quotes around each argument, with ", `, $ and \ escaped
// (and % doubled, the field-code escape)
const desktopQuote = (s: string) => `"${s.replace(/[\\"`$]/g, '\\$&').replace(/%/g, '%%')}"`;

/** The XDG autostart entry. */
export function trayDesktopEntry(spec: TraySpec): string {
  return `[Desktop Entry]
Type=Application
Name=Fixpoint
Comment=Questions and notices from your IT department
Exec=${trayCommand(spec).map(desktopQuote).join(' ')}
Terminal=false
NoDisplay=true
X-GNOME-Autostart-enabled=true
`;
}

/** The LaunchAgent: one tray per GUI session, restarted if it dies. */
export function trayLaunchAgentPlist(spec: TraySpec): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>${TRAY_LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${trayCommand(spec).map((arg) => `    <string>${escapeXml(arg)}</string>`).join('\n')}
  </array>
  <key>LimitLoadToSessionType</key><string>Aqua</string>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><true/>
  <key>ProcessType</key><string>Interactive</string>
</dict>
</plist>
`;
}

/** The PowerShell the tray's launch command runs: node on the tray bundle, or the tray executable. */
export const trayStartScript = (spec: TraySpec) => `& ${trayCommand(spec).map(quotePowerShell).join(' ')}`;

/** How Windows starts the tray (Run key and Start-menu shortcut alike): through PowerShell, without a console window. */
export function trayLaunchCommand(spec: TraySpec): { target: string; arguments: string } {
  return { target: 'powershell.exe', arguments: `-NoProfile -WindowStyle Hidden -Command "${trayStartScript(spec)}"` };
}

/** The `reg add` that starts the tray at each logon. */
export function trayRunKeyCommand(spec: TraySpec): string[] {
  const launch = trayLaunchCommand(spec);
  return ['reg', 'add', runKey, '/v', TRAY_RUN_VALUE, '/t', 'REG_SZ', '/d', `${launch.target} ${launch.arguments}`, '/f'];
}

export interface AutostartOptions {
  platform: NodeJS.Platform;
  root?: string;
  run: CommandRunner;
  /** Reads a command's output (macOS: the GUI sessions' `ps`). */
  output?: OutputRunner;
  /** Windows: the Start-menu shortcut (tests name a file of their own). */
  shortcutPath?: string;
}

/** Installs the autostart entry; returns the file written (null on Windows, where it is a registry value). */
export async function installTrayAutostart(spec: TraySpec, options: AutostartOptions): Promise<string | null> {
  const root = options.root ?? '/';
  if (options.platform === 'win32') {
    const shortcut = { path: options.shortcutPath ?? trayShortcutPath(), ...trayLaunchCommand(spec) };
    for (const [cmd, ...args] of [trayRunKeyCommand(spec), trayShortcutCommand(shortcut)]) await options.run(cmd!, args);
    return null;
  }
  const [file, text] =
    options.platform === 'darwin'
      ? [join(root, 'Library/LaunchAgents', `${TRAY_LAUNCHD_LABEL}.plist`), trayLaunchAgentPlist(spec)]
      : [join(root, 'etc/xdg/autostart/fixpoint-tray.desktop'), trayDesktopEntry(spec)];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o644 });
  if (options.platform === 'darwin') await bootstrapInSessions(await guiSessionUids(options.output ?? commandOutput), file, options.run);
  return file;
}

export async function uninstallTrayAutostart(options: AutostartOptions): Promise<void> {
  const root = options.root ?? '/';
  if (options.platform === 'win32') {
    await options.run('reg', ['delete', runKey, '/v', TRAY_RUN_VALUE, '/f']).catch(() => undefined);
    rmSync(options.shortcutPath ?? trayShortcutPath(), { force: true });
    return;
  }
  if (options.platform === 'darwin') await bootoutInSessions(await guiSessionUids(options.output ?? commandOutput), TRAY_LAUNCHD_LABEL, options.run);
  rmSync(join(root, 'Library/LaunchAgents', `${TRAY_LAUNCHD_LABEL}.plist`), { force: true });
  rmSync(join(root, 'etc/xdg/autostart/fixpoint-tray.desktop'), { force: true });
}
