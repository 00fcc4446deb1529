/** @module Running an installer or system tool (systemctl, launchctl, icacls, the service host) and failing with its stderr. */
import { execFile } from 'node:child_process';

/** Runs `command` with `args` (no shell); rejects when it fails. Injected in tests, which record the calls. */
export type CommandRunner = (command: string, args: string[]) => Promise<void>;

/** Runs a command and fails with its stderr when it fails. */
export const runCommand: CommandRunner = (command, args) =>
  new Promise((resolve, reject) =>
    execFile(command, args, { windowsHide: true, timeout: 60_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(),
    ),
  );

/** Runs a command and gives back its stdout; rejects with its stderr when it fails. */
export type OutputRunner = (command: string, args: string[]) => Promise<string>;

export const commandOutput: OutputRunner = (command, args) =>
  new Promise((resolve, reject) =>
    execFile(command, args, { windowsHide: true, timeout: 60_000, encoding: 'utf8' }, (err, out, stderr) =>
      err ? reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(out),
    ),
  );
