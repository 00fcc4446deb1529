/**
 * @module Starting the tray client in every user session, set up by `fixpoint-agent install` when the tray bundle
 * (`fixpoint-tray.mjs`) sits next to the agent or is named with `--tray`:
 *
 * | platform | how | file or key |
 * |---|---|---|
 * | Linux | XDG autostart (GNOME, KDE, Xfce, …) | `/etc/xdg/autostart/fixpoint-tray.desktop` |
 * | macOS | a LaunchAgent, loaded in each GUI (Aqua) session | `/Library/LaunchAgents/com.fixpoint.tray.plist` |
 * | Windows | the machine-wide Run key, started at each logon | `HKLM\Software\Microsoft\Windows\CurrentVersion\Run` value `FixpointTray` |
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { quotePowerShell } from '../exec/powershell-quote';
import type { CommandRunner } from './service';

export const TRAY_LAUNCHD_LABEL = 'com.fixpoint.tray';
export const TRAY_RUN_VALUE = 'FixpointTray';
const runKey = 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run';

export interface TraySpec {
  nodePath: string;
  trayPath: string;
}

// Desktop entry Exec quoting: double quotes around each argument, with ", `, $ and \ escaped
// (and % doubled, the field-code escape)
const desktopQuote = (s: string) => `"${s.replace(/[\\"`$]/g, '\\$&').replace(/%/g, '%%')}"`;
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The XDG autostart entry. */
export function trayDesktopEntry(spec: TraySpec): string {
  return `[Desktop Entry]
Type=Application
Name=Fixpoint
Comment=Questions and notices from your IT department
Exec=${desktopQuote(spec.nodePath)} ${desktopQuote(spec.trayPath)}
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
    <string>${xml(spec.nodePath)}</string>
    <string>${xml(spec.trayPath)}</string>
  </array>
  <key>LimitLoadToSessionType</key><string>Aqua</string>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><true/>
  <key>ProcessType</key><string>Interactive</string>
</dict>
</plist>
`;
}

/** The PowerShell the Run key's command runs: node on the tray bundle. */
export const trayStartScript = (spec: TraySpec) => `& ${quotePowerShell(spec.nodePath)} ${quotePowerShell(spec.trayPath)}`;

/** The `reg add` that starts the tray at each logon, without a console window. */
export function trayRunKeyCommand(spec: TraySpec): string[] {
  const command = `powershell.exe -NoProfile -WindowStyle Hidden -Command "${trayStartScript(spec)}"`;
  return ['reg', 'add', runKey, '/v', TRAY_RUN_VALUE, '/t', 'REG_SZ', '/d', command, '/f'];
}

export interface AutostartOptions {
  platform: NodeJS.Platform;
  root?: string;
  run: CommandRunner;
}

/** Installs the autostart entry; returns the file written (null on Windows, where it is a registry value). */
export async function installTrayAutostart(spec: TraySpec, options: AutostartOptions): Promise<string | null> {
  const root = options.root ?? '/';
  if (options.platform === 'win32') {
    const [cmd, ...args] = trayRunKeyCommand(spec);
    await options.run(cmd!, args);
    return null;
  }
  const [file, text] =
    options.platform === 'darwin'
      ? [join(root, 'Library/LaunchAgents', `${TRAY_LAUNCHD_LABEL}.plist`), trayLaunchAgentPlist(spec)]
      : [join(root, 'etc/xdg/autostart/fixpoint-tray.desktop'), trayDesktopEntry(spec)];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o644 });
  return file;
}

export async function uninstallTrayAutostart(options: AutostartOptions): Promise<void> {
  const root = options.root ?? '/';
  if (options.platform === 'win32') {
    await options.run('reg', ['delete', runKey, '/v', TRAY_RUN_VALUE, '/f']).catch(() => undefined);
    return;
  }
  rmSync(join(root, 'Library/LaunchAgents', `${TRAY_LAUNCHD_LABEL}.plist`), { force: true });
  rmSync(join(root, 'etc/xdg/autostart/fixpoint-tray.desktop'), { force: true });
}
