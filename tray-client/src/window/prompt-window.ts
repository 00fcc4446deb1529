/**
 * @module Which window a prompt opens in: the platform's Chromium-based browser in `--app=` mode when there is one;
 * on macOS without one, a WebKit window (`webkit-window.ts`); elsewhere none, and the tray says what is missing.
 */
import { existsSync } from 'node:fs';
import { findBrowser } from './browser';
import { osascript } from './webkit-window';

/** What the tray logs when a prompt has nowhere to open. */
export const browserNeeded = 'the prompt window needs Google Chrome, Microsoft Edge or Chromium';

export type PromptWindowChoice = { kind: 'browser'; browser: string } | { kind: 'webkit' } | { kind: 'none'; reason: string };

export interface PromptWindowChoiceOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  exists?: (path: string) => boolean;
}

/** The window the next prompt opens in. */
export function choosePromptWindow({ env = process.env, platform = process.platform, exists = existsSync }: PromptWindowChoiceOptions = {}): PromptWindowChoice {
  const browser = findBrowser(env, platform, exists);
  if (browser) return { kind: 'browser', browser };
  if (platform === 'darwin' && exists(osascript)) return { kind: 'webkit' };
  return { kind: 'none', reason: browserNeeded };
}
