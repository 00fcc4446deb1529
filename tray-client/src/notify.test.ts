// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { TRAY_APP_ID } from '@fixpoint/protocol';
import { notificationCommand } from './notify';

describe('Windows toast', () => {
  it('raises the toast under the AppUserModelID the installer registers', () => {
    // the id the installer's Start-menu shortcut carries (agent/src/commands/tray-shortcut.ts)
    expect(TRAY_APP_ID).toBe('Fixpoint.Tray');
    const script = notificationCommand('IT', 'Disk full', false, 'win32').args.at(-1)!;
    expect(script).toContain("CreateToastNotifier('Fixpoint.Tray')");
    expect(script).not.toContain("CreateToastNotifier('Fixpoint')");
  });
});
