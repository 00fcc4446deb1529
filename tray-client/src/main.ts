#!/usr/bin/env node
/**
 * @module `fixpoint-tray`: one per logged-in user, started by the desktop's autostart (set up by
 * `fixpoint-agent install`). Wiring only; see `app.ts`.
 *
 * Environment: `FIXPOINT_TRAY_MIN_GAP_SEC` (default 21600: 6 h between non-urgent prompts), `FIXPOINT_TRAY_LANG`
 * (default from LANG), `FIXPOINT_TRAY_PROFILE_DIR` (the prompt window's browser profile), `FIXPOINT_TRAY_TEST=1`
 * (DevTools port on the prompt window; with it, `FIXPOINT_TRAY_SNOOZE_CAP_SEC` shortens how long a postponed or
 * dismissed prompt waits, so a test need not wait out a campaign's postpone delay), `FIXPOINT_TRAY_NO_ICON=1`,
 * `FIXPOINT_TRAY_BROWSER_WARM=0` (no browser kept running between prompts: each prompt starts its own). With
 * `FIXPOINT_TRAY_TEST=1`, a line `menu <title>` on stdin clicks that menu item (Xvfb has no tray to show the icon in). Plus those of
 * `socket-path.ts` and `window/browser.ts`.
 *
 * `fixpoint-tray --get-help` opens the running tray's "Get help" form (for a desktop launcher, and desktops without
 * a tray icon): it signals the tray whose pid is in `tray.pid` next to the profile folder (SIGUSR1; not on Windows).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { TrayApp } from './app';
import { log } from './log';
import { defaultMinGapMs } from './prompt-queue';

declare const __FIXPOINT_TRAY_VERSION__: string | undefined;
declare const __FIXPOINT_COMMIT__: string | undefined;

const env = process.env;
const version = typeof __FIXPOINT_TRAY_VERSION__ !== 'undefined' ? __FIXPOINT_TRAY_VERSION__ : '0.0.0-dev';
const commit = typeof __FIXPOINT_COMMIT__ !== 'undefined' ? __FIXPOINT_COMMIT__ : 'unknown';
const gapSec = Number(env.FIXPOINT_TRAY_MIN_GAP_SEC);
const testing = env.FIXPOINT_TRAY_TEST === '1';
const snoozeCapSec = Number(env.FIXPOINT_TRAY_SNOOZE_CAP_SEC);
// LANG=fr_FR.UTF-8 → fr-FR
const lang = (env.FIXPOINT_TRAY_LANG ?? env.LANG ?? '').split('.')[0]!.replace('_', '-');

const profileDir = env.FIXPOINT_TRAY_PROFILE_DIR || join(tmpdir(), `fixpoint-tray-${userInfo().uid}`, 'profile');
const pidFile = join(dirname(profileDir), 'tray.pid');

if (process.argv.includes('--get-help')) {
  let pid = NaN;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
    process.kill(pid, 'SIGUSR1');
  } catch (error) {
    process.stderr.write(`fixpoint-tray: no running tray to open "Get help" in (${Number.isInteger(pid) ? `pid ${pid}: ` : ''}${String(error)}); use the tray icon's menu\n`);
    process.exitCode = 1;
  }
} else if (process.argv.includes('--version')) {
  // the agent's format (config.ts versionLine): in the single-file executable the runtime is the one inside it
  process.stdout.write(`fixpoint-tray ${version} (commit ${commit}, node ${process.version})\n`);
} else {
  const app = new TrayApp({
    version,
    minGapMs: Number.isFinite(gapSec) && gapSec >= 0 && env.FIXPOINT_TRAY_MIN_GAP_SEC ? gapSec * 1000 : defaultMinGapMs,
    language: /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(lang) ? lang : undefined,
    profileDir,
    debugWindow: testing,
    // honoured only with FIXPOINT_TRAY_TEST=1: a user's setting must not re-ask sooner than the campaign allows
    snoozeCapMs: testing && env.FIXPOINT_TRAY_SNOOZE_CAP_SEC && snoozeCapSec >= 0 ? snoozeCapSec * 1000 : undefined,
    browserArgs: (env.FIXPOINT_TRAY_BROWSER_ARGS ?? '').split(' ').filter(Boolean),
    warmBrowser: env.FIXPOINT_TRAY_BROWSER_WARM !== '0',
    icon: env.FIXPOINT_TRAY_NO_ICON !== '1',
  });
  app.start();
  if (process.platform !== 'win32') {
    mkdirSync(dirname(pidFile), { recursive: true, mode: 0o700 });
    writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
    process.on('SIGUSR1', () => void app.openHelp());
  }
  log.info('tray client started', { version, user: userInfo().username });
  // tests click the menu through stdin, as a user would through the icon (which Xvfb has no tray to show)
  if (testing)
    createInterface({ input: process.stdin }).on('line', (line) => {
      const title = /^menu (.+)$/.exec(line.trim())?.[1];
      if (title) log.info(app.clickMenu(title) ? 'menu item clicked' : 'no such menu item', { title });
    });
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => {
      app.stop();
      process.exit(0);
    });
}
