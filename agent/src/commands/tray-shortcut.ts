/**
 * @module The tray's Start-menu shortcut on Windows. Windows shows a toast only from an AppUserModelID that a
 * Start-menu shortcut carries, so install creates `%ProgramData%\Microsoft\Windows\Start Menu\Programs\Fixpoint.lnk`,
 * which starts the tray and carries `System.AppUserModel.ID` = {@link TRAY_APP_ID}. Only the shell's IPropertyStore
 * can set that property, so PowerShell compiles a small C# class (IShellLinkW, IPropertyStore, IPersistFile) and
 * saves the link. The script goes to PowerShell as `-EncodedCommand`; every path in it is a single-quoted literal.
 */
import { win32 } from 'node:path';
import { TRAY_APP_ID } from '@fixpoint/protocol';
import { encodeCommand, quotePowerShell } from '../exec/powershell-quote';

/** The shortcut's path: the all-users Start menu. */
export function trayShortcutPath(env: NodeJS.ProcessEnv = process.env): string {
  return win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Microsoft', 'Windows', 'Start Menu', 'Programs', 'Fixpoint.lnk');
}

// PKEY_AppUserModel_ID is {9F4C2855-9F79-4B39-A8D0-E1D42DE1D5F3}, 5; a PROPVARIANT is 24 bytes on x64 (16 on x86).
const shortcutType = `using System;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.ComTypes;
using System.Text;
namespace FixpointSetup {
  [ComImport, Guid("000214F9-0000-0000-C000-000000000046"), InterfaceType(ComInterfaceType.InterfaceIsIUnknown)]
  interface IShellLinkW {
    void GetPath([Out, MarshalAs(UnmanagedType.LPWStr)] StringBuilder file, int cch, IntPtr data, uint flags);
    void GetIDList(out IntPtr pidl);
    void SetIDList(IntPtr pidl);
    void GetDescription([Out, MarshalAs(UnmanagedType.LPWStr)] StringBuilder name, int cch);
    void SetDescription([MarshalAs(UnmanagedType.LPWStr)] string name);
    void GetWorkingDirectory([Out, MarshalAs(UnmanagedType.LPWStr)] StringBuilder dir, int cch);
    void SetWorkingDirectory([MarshalAs(UnmanagedType.LPWStr)] string dir);
    void GetArguments([Out, MarshalAs(UnmanagedType.LPWStr)] StringBuilder args, int cch);
    void SetArguments([MarshalAs(UnmanagedType.LPWStr)] string args);
    void GetHotkey(out short hotkey);
    void SetHotkey(short hotkey);
    void GetShowCmd(out int showCmd);
    void SetShowCmd(int showCmd);
    void GetIconLocation([Out, MarshalAs(UnmanagedType.LPWStr)] StringBuilder path, int cch, out int icon);
    void SetIconLocation([MarshalAs(UnmanagedType.LPWStr)] string path, int icon);
    void SetRelativePath([MarshalAs(UnmanagedType.LPWStr)] string path, uint reserved);
    void Resolve(IntPtr hwnd, uint flags);
    void SetPath([MarshalAs(UnmanagedType.LPWStr)] string file);
  }
  [ComImport, Guid("886D8EEB-8CF2-4446-8D02-CDBA1DBDCF99"), InterfaceType(ComInterfaceType.InterfaceIsIUnknown)]
  interface IPropertyStore {
    void GetCount(out uint count);
    void GetAt(uint index, out PropertyKey key);
    void GetValue(ref PropertyKey key, out PropVariant value);
    void SetValue(ref PropertyKey key, ref PropVariant value);
    void Commit();
  }
  [StructLayout(LayoutKind.Sequential, Pack = 4)]
  struct PropertyKey { public Guid FormatId; public uint PropertyId; }
  [StructLayout(LayoutKind.Explicit)]
  struct PropVariant {
    [FieldOffset(0)] public ushort Type;
    [FieldOffset(8)] public IntPtr Pointer;
    [FieldOffset(16)] public IntPtr Unused;
  }
  [ComImport, Guid("00021401-0000-0000-C000-000000000046")]
  class ShellLink {}
  public static class Shortcut {
    [DllImport("ole32.dll")] static extern int PropVariantClear(ref PropVariant value);
    public static void Save(string path, string target, string arguments, string appId) {
      var link = (IShellLinkW)new ShellLink();
      link.SetPath(target);
      link.SetArguments(arguments);
      link.SetDescription("Questions and notices from your IT department");
      var key = new PropertyKey { FormatId = new Guid("9F4C2855-9F79-4B39-A8D0-E1D42DE1D5F3"), PropertyId = 5 };
      var value = new PropVariant { Type = 31, Pointer = Marshal.StringToCoTaskMemUni(appId) };
      try {
        var store = (IPropertyStore)link;
        store.SetValue(ref key, ref value);
        store.Commit();
      } finally {
        PropVariantClear(ref value);
      }
      ((IPersistFile)link).Save(path, true);
    }
  }
}`;

export interface ShortcutSpec {
  /** The shortcut file. */
  path: string;
  /** The program it starts, and the command line it passes. */
  target: string;
  arguments: string;
}

/** The PowerShell script that saves the shortcut with the tray's app id. */
export function trayShortcutScript(spec: ShortcutSpec): string {
  const call = [spec.path, spec.target, spec.arguments, TRAY_APP_ID].map(quotePowerShell).join(', ');
  return `$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @'
${shortcutType}
'@
[FixpointSetup.Shortcut]::Save(${call})
`;
}

/** `powershell.exe -EncodedCommand`: the script as base64 of its UTF-16LE text, so no quoting reaches a command line. */
export function trayShortcutCommand(spec: ShortcutSpec): string[] {
  const encoded = encodeCommand(trayShortcutScript(spec));
  return ['powershell.exe', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded];
}
