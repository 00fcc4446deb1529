import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/helpers';
import { TRAY_APP_ID } from '@fixpoint/protocol';
import { trayLaunchCommand } from './autostart';
import { quotePowerShell } from '../exec/powershell-quote';
import { trayShortcutCommand, trayShortcutPath, trayShortcutScript } from './tray-shortcut';

// Mono's C# compiler (Debian: mono-mcs) checks the C# that PowerShell's Add-Type compiles on Windows
const mcs = (() => {
  try {
    execFileSync('mcs', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('the tray Start-menu shortcut', () => {
  const launch = trayLaunchCommand({ nodePath: 'C:\\Program Files\\nodejs\\node.exe', trayPath: "C:\\Program Files\\O'Neil & Co\\fixpoint-tray.mjs" });
  const spec = { path: "C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\Fixpoint.lnk", ...launch };

  it('lives in the all-users Start menu', () => {
    expect(trayShortcutPath({ ProgramData: 'D:\\Data' })).toBe('D:\\Data\\Microsoft\\Windows\\Start Menu\\Programs\\Fixpoint.lnk');
    expect(TRAY_APP_ID).toBe('Fixpoint.Tray');
  });

  it('quotes PowerShell literals, doubling every kind of single quote', () => {
    expect(quotePowerShell("C:\\O'Neil\\a b")).toBe("'C:\\O''Neil\\a b'");
    expect(quotePowerShell('C:\\\u2019x\u2018')).toBe("'C:\\\u2019\u2019x\u2018\u2018'");
    expect(quotePowerShell('$env:x `"y"')).toBe("'$env:x `\"y\"'");
  });

  it('saves the link through IPropertyStore with the app id, every value a quoted literal', () => {
    const script = trayShortcutScript(spec);
    expect(launch.target).toBe('powershell.exe');
    expect(launch.arguments).toBe(`-NoProfile -WindowStyle Hidden -Command "& 'C:\\Program Files\\nodejs\\node.exe' 'C:\\Program Files\\O''Neil & Co\\fixpoint-tray.mjs'"`);
    const call = script.split('\n').find((line) => line.startsWith('[FixpointSetup.Shortcut]::Save('));
    expect(call).toBe(
      `[FixpointSetup.Shortcut]::Save('C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\Fixpoint.lnk', 'powershell.exe', ` +
        `'-NoProfile -WindowStyle Hidden -Command "& ''C:\\Program Files\\nodejs\\node.exe'' ''C:\\Program Files\\O''''Neil & Co\\fixpoint-tray.mjs''"', 'Fixpoint.Tray')`,
    );
    // the property store of the link (PKEY_AppUserModel_ID, VT_LPWSTR) and the here-string that holds the C#
    expect(script).toContain('new Guid("9F4C2855-9F79-4B39-A8D0-E1D42DE1D5F3"), PropertyId = 5');
    expect(script).toContain('Type = 31');
    expect(script).toMatch(/^\$ErrorActionPreference = 'Stop'\nAdd-Type -TypeDefinition @'\n[^]*\n'@\n\[FixpointSetup/);
    // the here-string ends only at its own '@
    expect(script.split('\n').filter((line) => line.startsWith("'@"))).toEqual(["'@"]);
  });

  it('passes the script encoded, so no path reaches a command line', () => {
    const command = trayShortcutCommand(spec);
    expect(command.slice(0, -1)).toEqual(['powershell.exe', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    expect(command.at(-1)).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(command.at(-1)!, 'base64').toString('utf16le')).toBe(trayShortcutScript(spec));
  });

  it('compiles its C# with warnings as errors', (ctx) => {
    ctx.skip(!mcs, 'mcs (the mono-mcs package) is not installed');
    const source = trayShortcutScript(spec).split("@'\n")[1]!.split("\n'@")[0]!;
    const dir = tempDir();
    writeFileSync(join(dir, 'shortcut.cs'), source);
    // throws with the compiler's errors when it does not compile
    execFileSync('mcs', ['-target:library', '-warnaserror+', `-out:${join(dir, 'shortcut.dll')}`, join(dir, 'shortcut.cs')], { encoding: 'utf8' });
  });
});
