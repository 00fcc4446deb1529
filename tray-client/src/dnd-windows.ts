/**
 * @module Windows: whether the shell says now is a bad time for a notification, from `SHQueryUserNotificationState`
 * (shell32), asked through one PowerShell call with an inline P/Invoke signature. The call costs PowerShell's start
 * (about half a second), so `dnd.ts` asks only when a non-urgent prompt is about to show, and keeps the answer briefly.
 */
import { execFile } from 'node:child_process';

/** QUERY_USER_NOTIFICATION_STATE (shellapi.h), and whether a non-urgent prompt waits in that state. */
export const notificationStates = {
  1: { name: 'QUNS_NOT_PRESENT', busy: true }, // screen saver, locked, or another Fast User Switching session
  2: { name: 'QUNS_BUSY', busy: true }, // a full-screen app, or presentation settings
  3: { name: 'QUNS_RUNNING_D3D_FULL_SCREEN', busy: true }, // exclusive-mode Direct3D (games)
  4: { name: 'QUNS_PRESENTATION_MODE', busy: true },
  5: { name: 'QUNS_ACCEPTS_NOTIFICATIONS', busy: false },
  6: { name: 'QUNS_QUIET_TIME', busy: true }, // the first hour of a new account or after an upgrade: Windows asks for silence
  7: { name: 'QUNS_APP', busy: true }, // a Store app full screen
} as const;
export type NotificationState = keyof typeof notificationStates;

/**
 * Prints the state's number, and nothing when the call fails. `Add-Type` adds `System.Runtime.InteropServices` to
 * a member definition itself.
 */
export const notificationStateScript = [
  "$ErrorActionPreference = 'Stop'",
  `Add-Type -Namespace FixpointTray -Name Shell -MemberDefinition '[DllImport("shell32.dll")] public static extern int SHQueryUserNotificationState(out int state);'`,
  '$state = 0',
  'if ([FixpointTray.Shell]::SHQueryUserNotificationState([ref]$state) -eq 0) { $state }',
].join('; ');

export const notificationStateCommand = {
  command: 'powershell.exe',
  args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', notificationStateScript],
};

/** The state in the script's output (`5\r\n`), or null for anything else. */
export function parseNotificationState(text: string | null): NotificationState | null {
  const m = /^\s*([1-7])\s*$/.exec(text ?? '');
  return m ? (Number(m[1]) as NotificationState) : null;
}

/** Busy in every state but "accepts notifications"; an unknown state is not busy (the prompt is not held forever). */
export function notificationStateBusy(state: NotificationState | null): boolean {
  return state !== null && notificationStates[state].busy;
}

/** True while Windows reports the user away, full screen, presenting or in quiet time. */
export function windowsBusy(): Promise<boolean> {
  const { command, args } = notificationStateCommand;
  return new Promise((resolve) =>
    execFile(command, args, { timeout: 10_000, windowsHide: true }, (err, out) => resolve(!err && notificationStateBusy(parseNotificationState(out)))),
  );
}
