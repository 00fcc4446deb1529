// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { notificationCommand, TOAST_APP_ID } from './notify';

describe('Windows toast', () => {
  it('raises the toast under the AppUserModelID the installer registers', () => {
    expect(TOAST_APP_ID).toBe('Fixpoint.Tray');
    const script = notificationCommand('IT', 'Disk full', false, 'win32').args.at(-1)!;
    expect(script).toContain("CreateToastNotifier('Fixpoint.Tray')");
    expect(script).not.toContain("CreateToastNotifier('Fixpoint')");
  });
});
