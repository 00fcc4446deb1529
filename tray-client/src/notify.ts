/**
 * @module The OS notification that goes with a prompt: notify-send (Linux), osascript (macOS), a toast through
 * PowerShell (Windows). A missing notification service is logged; the prompt window opens anyway.
 */
import { execFile } from 'node:child_process';
import { TRAY_APP_ID } from '@fixpoint/protocol';
import { log } from './log';

// PowerShell ends a single-quoted string at ‘ ’ ‚ ‛ too, so those are doubled like ' (a title such as "Don’t" is common).
const psQuote = (s: string) => `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`;
const appleQuote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

/** The command that shows a notification on `platform`. */
export function notificationCommand(title: string, body: string, urgent: boolean, platform: NodeJS.Platform = process.platform): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: '/usr/bin/osascript', args: ['-e', `display notification ${appleQuote(body)} with title ${appleQuote(title)}`] };
  if (platform === 'win32') {
    const script = [
      '[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] | Out-Null',
      '$xml = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastText02)',
      `$xml.GetElementsByTagName('text')[0].AppendChild($xml.CreateTextNode(${psQuote(title)})) | Out-Null`,
      `$xml.GetElementsByTagName('text')[1].AppendChild($xml.CreateTextNode(${psQuote(body)})) | Out-Null`,
        `[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier(${psQuote(TRAY_APP_ID)}).Show([Windows.UI.Notifications.ToastNotification]::new($xml))`,
    ].join('; ');
    return { command: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', script] };
  }
  return { command: 'notify-send', args: ['--app-name=Fixpoint', `--urgency=${urgent ? 'critical' : 'normal'}`, '--', title, body] };
}

/** Shows a notification; resolves false when the platform could not. Never throws. */
export function notify(title: string, body: string, urgent = false): Promise<boolean> {
  const { command, args } = notificationCommand(title, body, urgent);
  return new Promise((resolve) =>
    execFile(command, args, { timeout: 10_000, windowsHide: true }, (err) => {
      if (err) log.warn('notification failed', { command, error: err.message });
      resolve(!err);
    }),
  );
}
