/**
 * @module "Get help" in the tray: takes the screenshot, opens the form window, sends what the user submits to the
 * agent (`help`) and hands the agent's `help_result` back to the form. One form at a time: asking again while one
 * is open does nothing.
 */
import { randomUUID } from 'node:crypto';
import type { HelpScreenshot, TrayHelpResult, TrayMessage } from '@fixpoint/protocol';
import { log } from './log';
import { takeScreenshot, type ScreenshotResult } from './screenshot';
import { serveHelpPage } from './window/help-page-server';

export interface HelpDeskOptions {
  language: string;
  /** Sends to the agent; false while disconnected. */
  send(message: TrayMessage): boolean;
  script(): string;
  /** Opens the page in a window; resolves when the window is gone. */
  openWindow(url: string): Promise<{ closed: Promise<unknown>; close(): void }>;
  screenshot?: () => Promise<ScreenshotResult>;
  /** How long to wait for the agent (default 45 s: the agent itself gives up after 30). */
  timeoutMs?: number;
}

export class HelpDesk {
  private readonly waiting = new Map<string, (result: TrayHelpResult) => void>();
  private open = false;

  constructor(private readonly options: HelpDeskOptions) {}

  /** The agent answered a request. */
  handleResult(result: TrayHelpResult): void {
    this.waiting.get(result.localId)?.(result);
  }

  /** Sends one request and waits for the agent's answer. */
  request(input: { subject: string; description: string; screenshot?: HelpScreenshot }): Promise<TrayHelpResult> {
    const localId = randomUUID();
    const fail = (message: string): TrayHelpResult => ({ type: 'help_result', localId, error: { code: 'unavailable', message } });
    return new Promise((resolve) => {
      const finish = (result: TrayHelpResult) => {
        clearTimeout(timer);
        this.waiting.delete(localId);
        resolve(result);
      };
      const timer = setTimeout(() => finish(fail('the agent did not answer in time; try again later')), this.options.timeoutMs ?? 45_000);
      this.waiting.set(localId, finish);
      if (!this.options.send({ type: 'help', localId, ...input })) finish(fail('the Fixpoint agent is not running; try again later'));
    });
  }

  /** Opens the form (once at a time). */
  async show(): Promise<void> {
    if (this.open) return;
    this.open = true;
    try {
      // taken before the window opens, so it shows what the user was looking at
      const screenshot = await (this.options.screenshot ?? takeScreenshot)();
      if (!screenshot.ok) log.info('help: no screenshot', { reason: screenshot.reason });
      const page = await serveHelpPage({ language: this.options.language, screenshot, script: this.options.script(), submit: (input) => this.request(input) });
      const win = await this.options.openWindow(page.url);
      log.info('help form shown');
      await Promise.race([page.closed, win.closed]);
      win.close();
      page.close();
    } finally {
      this.open = false;
    }
  }
}
