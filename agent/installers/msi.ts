/**
 * @module The Windows installer of the single-file agent, built with `wixl` (msitools): the agent, WinSW as the
 * service host with the configuration `fixpoint-agent install` would write (commands/windows-service.ts), the service
 * registered and started by the installer itself (ServiceInstall/ServiceControl on the host), and enrollment from the
 * public properties: `msiexec /i fixpoint-agent.msi /qn SERVER=https://… TOKEN=fxp_enr_…`.
 *
 * WinSW expands `%BASE%` to its own folder and `%ProgramData%` from the environment, so the configuration names no
 * absolute install path. The single-file tray client comes with it, systray2's helper in `traybin\` beside it, started
 * at every user's logon by the machine-wide Run value `install` writes too (autostart.ts), which uninstall removes,
 * and its Start-menu shortcut carries the app id Windows raises its notifications under (addShortcutAppId).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TRAY_APP_ID } from '@fixpoint/protocol';
import { TRAY_RUN_VALUE } from '../src/commands/autostart';
import { WINDOWS_SERVICE } from '../src/commands/service-spec';
import { SERVICE_HOST_NAME, winswConfig } from '../src/commands/windows-service';
import { escapeXml } from '../src/commands/xml-text';

/** Fixed for every version: Windows Installer finds the installed version by it and upgrades it in place. */
export const MSI_UPGRADE_CODE = '6B1C2E57-3F0D-4E8B-9A31-5C7D0F2B8E41';
export const MSI_AGENT_EXE = 'fixpoint-agent.exe';
export const MSI_TRAY_EXE = 'fixpoint-tray.exe';
/** systray2's helper, where the tray looks for it: `traybin\` beside its executable. */
export const MSI_TRAY_HELPER = 'tray_windows_release.exe';
export const MSI_RUN_KEY = 'Software\\Microsoft\\Windows\\CurrentVersion\\Run';
/** The tray's Start-menu shortcut (`Fixpoint.lnk` in the all-users Start menu, as `install` makes it: tray-shortcut.ts). */
export const MSI_TRAY_SHORTCUT = 'TrayShortcut';

// placeholders, written by winswConfig as ordinary paths and then turned into WinSW's own variables
const BASE = 'C:\\fixpoint-msi-base';
const STATE = 'C:\\fixpoint-msi-state';

/** The WinSW configuration of the installed service: the agent beside the host, its state in %ProgramData%\Fixpoint. */
export function msiServiceConfig(): string {
  return winswConfig({ nodePath: `${BASE}\\${MSI_AGENT_EXE}`, stateDir: STATE }).replaceAll(BASE, '%BASE%').replaceAll(STATE, '%ProgramData%\\Fixpoint');
}

/**
 * The WiX source: one folder under Program Files, the agent and its service host, the tray and its helper, the
 * service, the tray's Run value, the enroll action, upgrades in place.
 */
export function msiSource(version: string): string {
  const x = escapeXml;
  return `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="Fixpoint Agent" Language="1033" Version="${x(version)}" Manufacturer="Fixpoint" UpgradeCode="${MSI_UPGRADE_CODE}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" Description="Fixpoint device agent"/>
    <Media Id="1" Cabinet="agent.cab" EmbedCab="yes"/>
    <MajorUpgrade DowngradeErrorMessage="A newer Fixpoint Agent is already installed."/>
    <!-- the token stays out of the installer's log -->
    <Property Id="MsiHiddenProperties" Value="TOKEN"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="Fixpoint">
          <Component Id="Agent" Guid="3D5E9A0C-7B21-4F6A-8C43-1E2B9D7F0A65" Win64="yes">
            <File Id="AgentExe" Name="${MSI_AGENT_EXE}" Source="${MSI_AGENT_EXE}" KeyPath="yes"/>
          </Component>
          <Component Id="ServiceHost" Guid="8A4F2C61-0D3B-4E97-B5A8-6C1F3E2D9B07" Win64="yes">
            <File Id="ServiceHostExe" Name="${SERVICE_HOST_NAME}.exe" Source="${SERVICE_HOST_NAME}.exe" KeyPath="yes"/>
            <File Id="ServiceHostExeConfig" Name="${SERVICE_HOST_NAME}.exe.config" Source="${SERVICE_HOST_NAME}.exe.config"/>
            <File Id="ServiceHostXml" Name="${SERVICE_HOST_NAME}.xml" Source="${SERVICE_HOST_NAME}.xml"/>
            <ServiceInstall Id="AgentService" Name="${WINDOWS_SERVICE}" DisplayName="Fixpoint Agent" Description="Fixpoint device agent: runs signed remote actions and reports facts." Type="ownProcess" Start="auto" ErrorControl="normal" Account="LocalSystem"/>
            <ServiceControl Id="AgentServiceControl" Name="${WINDOWS_SERVICE}" Start="install" Stop="both" Remove="uninstall" Wait="yes"/>
          </Component>
          <!-- a GUI program (build-sea.mjs): started at logon it opens no console window; the Run value goes with the component -->
          <Component Id="Tray" Guid="C2E8F4A1-6B3D-4A75-9E1C-0D7B5F3A2E98" Win64="yes">
            <File Id="TrayExe" Name="${MSI_TRAY_EXE}" Source="${MSI_TRAY_EXE}" KeyPath="yes"/>
            <RegistryValue Id="TrayRun" Root="HKLM" Key="${MSI_RUN_KEY}" Name="${TRAY_RUN_VALUE}" Type="string" Value="&quot;[INSTALLDIR]${MSI_TRAY_EXE}&quot;"/>
            <!-- its app id (System.AppUserModel.ID) is added after the build: see addShortcutAppId -->
            <Shortcut Id="${MSI_TRAY_SHORTCUT}" Directory="ProgramMenuFolder" Name="Fixpoint" Description="Fixpoint" Target="[#TrayExe]" WorkingDirectory="INSTALLDIR"/>
          </Component>
          <Directory Id="TRAYBIN" Name="traybin">
            <Component Id="TrayHelper" Guid="5F0A3C7E-9D2B-4E81-A6C4-B3E1D8F27A50" Win64="yes">
              <File Id="TrayHelperExe" Name="${MSI_TRAY_HELPER}" Source="${MSI_TRAY_HELPER}" KeyPath="yes"/>
            </Component>
          </Directory>
        </Directory>
      </Directory>
      <Directory Id="ProgramMenuFolder"/>
    </Directory>
    <Feature Id="Main" Level="1">
      <ComponentRef Id="Agent"/>
      <ComponentRef Id="ServiceHost"/>
      <ComponentRef Id="Tray"/>
      <ComponentRef Id="TrayHelper"/>
    </Feature>
    <CustomAction Id="Enroll" FileKey="AgentExe" ExeCommand="enroll --server &quot;[SERVER]&quot; --token &quot;[TOKEN]&quot;" Execute="deferred" Impersonate="no" Return="check"/>
    <InstallExecuteSequence>
      <Custom Action="Enroll" After="InstallServices">SERVER AND TOKEN AND NOT REMOVE</Custom>
    </InstallExecuteSequence>
  </Product>
</Wix>
`;
}

/**
 * Windows shows the tray's notifications only under an app id that a Start-menu shortcut carries. wixl has no
 * `ShortcutProperty`, so the MsiShortcutProperty table (Windows Installer 5) is added to the built package with
 * msibuild (msitools), from an IDT file: column names, column types, the table and its key, then the row.
 */
export function addShortcutAppId(msi: string, dir: string): void {
  const idt = join(dir, 'MsiShortcutProperty.idt');
  const rows = [
    ['MsiShortcutProperty', 'Shortcut_', 'PropertyKey', 'PropVariantValue'],
    ['s72', 's72', 's0', 's0'],
    ['MsiShortcutProperty', 'MsiShortcutProperty'],
    ['TrayAppId', MSI_TRAY_SHORTCUT, 'System.AppUserModel.ID', TRAY_APP_ID],
  ];
  writeFileSync(idt, rows.map((row) => `${row.join('\t')}\n`).join(''));
  execFileSync('msibuild', [msi, '-i', idt], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Builds `fixpoint-agent-<version>-x64.msi` from the Windows single-file agent and WinSW beside it, and the Windows
 * single-file tray with its `traybin\` beside it; returns its path.
 */
export function buildMsi(options: { binary: string; winswDir: string; tray: string; version: string; outDir: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fixpoint-msi-'));
  try {
    copyFileSync(options.binary, join(dir, MSI_AGENT_EXE));
    copyFileSync(options.tray, join(dir, MSI_TRAY_EXE));
    copyFileSync(join(dirname(options.tray), 'traybin', MSI_TRAY_HELPER), join(dir, MSI_TRAY_HELPER));
    copyFileSync(join(options.winswDir, 'winsw.exe'), join(dir, `${SERVICE_HOST_NAME}.exe`));
    copyFileSync(join(options.winswDir, 'winsw.exe.config'), join(dir, `${SERVICE_HOST_NAME}.exe.config`));
    writeFileSync(join(dir, `${SERVICE_HOST_NAME}.xml`), msiServiceConfig());
    writeFileSync(join(dir, 'fixpoint-agent.wxs'), msiSource(options.version));
    mkdirSync(options.outDir, { recursive: true });
    const out = join(options.outDir, `fixpoint-agent-${options.version}-x64.msi`);
    execFileSync('wixl', ['--arch', 'x64', '-o', out, 'fixpoint-agent.wxs'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    addShortcutAppId(out, dir);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
