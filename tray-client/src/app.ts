/**
 * @module The tray client: prompts from the agent go into the queue; the queue decides when one goes on screen;
 * the prompt opens as a notification plus an app window; the answer goes back to the agent.
 */
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { AgentToTrayMessage, PromptRequest } from '@fixpoint/protocol';
import { AgentLink } from './agent-link';
import { helpStrings } from './components/help-form/strings';
import { HelpDesk } from './help';
import { userBusy } from './dnd';
import { log } from './log';
import { notify } from './notify';
import { pageScript } from './page/source';
import { PromptQueue } from './prompt-queue';
import { agentEndpoint, type AgentEndpoint } from './socket-path';
import { TrayIcon } from './tray-icon';
import { findBrowser, openAppWindow, placeWindow } from './window/browser';
import { choosePromptWindow } from './window/prompt-window';
import { screenSize } from './window/screen-size';
import { servePromptPage, type PageAnswer } from './window/page-server';
import { WarmBrowser } from './window/warm-browser';
import { openWebKitWindow } from './window/webkit-window';
import { ToolWindows, type ToolAnswer } from './tool-windows';
import { clickExtra, extraMenuItems } from './menu-extras';

export interface TrayAppOptions {
  version: string;
  /** Minimum gap between non-urgent prompts. */
  minGapMs: number;
  language?: string | undefined;
  /** Browser profile for the prompt window (private to the user). */
  profileDir: string;
  /** Opens the window with a DevTools port (in `<profileDir>/DevToolsActivePort`), for tests. */
  debugWindow?: boolean;
  browserArgs?: string[];
  /** Keep the prompt browser running between prompts (default true; see `window/warm-browser.ts`). */
  warmBrowser?: boolean;
  endpoint?: () => Promise<AgentEndpoint>;
  /** How long the final message stays up after a full answer (default 4 s). */
  closeDelayMs?: number;
  /** Whether to try a tray icon (default true). */
  icon?: boolean;
  /** Tests only: the longest a postponed or dismissed prompt waits before it comes back (see `main.ts`). */
  snoozeCapMs?: number | undefined;
}

/** A window closed without an answer comes back after this long (or the campaign's postpone delay if shorter). */
const dismissDelayMs = 15 * 60_000;
const hourMs = 3600_000;

export class TrayApp {
  private readonly link: AgentLink;
  private readonly queue: PromptQueue;
  private readonly icon: TrayIcon;
  private readonly help: HelpDesk;
  private pending = 0;
  private timer: NodeJS.Timeout | null = null;
  private pumping = false;
  private closeCurrent: (() => void) | null = null;
  private warm: WarmBrowser | null = null;
  /** The screen's size as last looked up; refreshed after each prompt, off the prompt's path. */
  private screen = { width: 1920, height: 1080 };
  private screenKnown: Promise<void> = Promise.resolve();
  /** "Fix a problem" and "Recent activity" (tool-windows.ts). */
  readonly tools: ToolWindows;

  constructor(private readonly options: TrayAppOptions) {
    this.queue = new PromptQueue({ minGapMs: options.minGapMs, busy: userBusy });
    this.link = new AgentLink({
      endpoint: options.endpoint ?? (() => agentEndpoint()),
      version: options.version,
      language: options.language,
      onMessage: (msg) => this.handleMessage(msg),
      onState: (connected) => {
        log.info(connected ? 'connected to the agent' : 'lost the agent; reconnecting');
        if (connected) void this.tools.refreshFixes();
      },
    });
    const language = options.language ?? 'en';
    this.tools = new ToolWindows({
      send: (m) => this.link.send(m),
      language,
      script: pageScript,
      open: (url) => this.openWindow(url).catch((error: unknown) => (log.error('cannot open a window', { error: String(error) }), null)),
      onFixes: () => this.refreshIcon(),
    });
    const extras = { openFixes: (action?: string) => void this.tools.openSelfService(action), openActivity: () => void this.tools.openActivity() };
    this.help = new HelpDesk({ language, send: (m) => this.link.send(m), script: pageScript, openWindow: (url) => this.openWindow(url) });
    this.icon = new TrayIcon({
      getHelp: () => void this.openHelp(),
      helpTitle: helpStrings(language).title,
      openPending: () => void this.pump(true),
      toggleDnd: () => {
        this.queue.setDnd(this.queue.dndActiveUntil ? 0 : Date.now() + hourMs);
        this.refreshIcon();
        void this.pump();
      },
      about: () => void notify('Fixpoint', `Fixpoint tray ${options.version}. Questions from your IT department appear here.`),
      extras: () => extraMenuItems(this.tools.fixes, language),
      clickExtra: (title) => clickExtra(title, this.tools.fixes, language, extras),
    });
  }

  start(): void {
    mkdirSync(this.options.profileDir, { recursive: true, mode: 0o700 });
    this.screenKnown = this.refreshScreen();
    const browser = findBrowser();
    if (browser && this.options.warmBrowser !== false) {
      const { profileDir, debugWindow, browserArgs } = this.options;
      const warm = new WarmBrowser({ browser, profileDir, debug: debugWindow, extraArgs: browserArgs });
      this.warm = warm;
      void this.screenKnown.then(() => warm.start(placeWindow(this.screen)));
    }
    this.link.start();
    if (this.options.icon !== false)
      void this.icon.start(this.iconState()).then((shown) => log.info(shown ? 'tray icon shown' : 'running without a tray icon'));
  }

  /** A click on a menu item by its title, as the icon's menu would have it (the test switch's `menu <title>`). */
  clickMenu(title: string): boolean {
    const language = this.options.language ?? 'en';
    const extras = { openFixes: (action?: string) => void this.tools.openSelfService(action), openActivity: () => void this.tools.openActivity() };
    return clickExtra(title, this.tools.fixes, language, extras);
  }

  stop(): void {
    this.tools.closeAll();
    this.link.stop();
    this.icon.stop();
    this.closeCurrent?.();
    this.warm?.stop();
    if (this.timer) clearTimeout(this.timer);
  }

  private refreshScreen(): Promise<void> {
    return screenSize().then((size) => void (this.screen = size));
  }

  private iconState() {
    return { pending: this.pending, dndUntil: this.queue.dndActiveUntil };
  }

  private refreshIcon(): void {
    this.icon.update(this.iconState());
  }

  private handleMessage(msg: Exclude<AgentToTrayMessage, { type: 'welcome' | 'error' }>): void {
    switch (msg.type) {
      case 'prompt':
        this.queue.upsert(msg.request);
        break;
      case 'withdraw':
        if (this.queue.current === msg.requestId) this.closeCurrent?.();
        this.queue.remove(msg.requestId);
        break;
      case 'help_result':
        return this.help.handleResult(msg);
      case 'pending':
        this.pending = msg.count;
        this.refreshIcon();
        return;
      case 'self_service_fixes':
      case 'self_service_error':
      case 'self_service_progress':
      case 'activity_list':
        return this.tools.handleAgent(msg as ToolAnswer);
    }
    void this.pump();
  }

  /** Puts the next prompt on screen, or waits until one may go. */
  private async pump(force = false): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      const next = await this.queue.next(force);
      if ('show' in next) void this.show(next.show);
      else if ('waitMs' in next) this.timer = setTimeout(() => void this.pump(), Math.min(Math.max(next.waitMs, 50), 2 ** 31 - 1));
    } finally {
      this.pumping = false;
    }
  }

  private async show(request: PromptRequest): Promise<void> {
    const id = request.requestId;
    this.queue.markShown(id);
    const choice = choosePromptWindow();
    if (choice.kind === 'none') {
      log.error(choice.reason, { requestId: id, campaign: request.rendered.slug });
      this.snooze(id, dismissDelayMs);
      return;
    }
    const { rendered } = request;
    // The screen size is known from before (looked up at start and after each prompt), and the notification goes
    // out once the window is on its way: nothing but the page server stands between the request and the window.
    const [page] = await Promise.all([servePromptPage({ request, user: userInfo().username, script: pageScript() }), this.screenKnown]);
    const geometry = placeWindow(this.screen);
    const { profileDir, debugWindow: debug, browserArgs: extraArgs } = this.options;
    const win =
      choice.kind === 'webkit'
        ? openWebKitWindow(page.url, geometry)
        : ((await this.warm?.open(page.url, geometry)) ?? openAppWindow({ url: page.url, browser: choice.browser, profileDir, geometry, debug, extraArgs }));
    void notify(rendered.branding.title || 'Fixpoint', rendered.name, request.urgency === 'urgent');
    this.screenKnown = this.refreshScreen();
    this.closeCurrent = () => win.close();
    this.link.send({ type: 'shown', requestId: id });
    log.info('prompt shown', { requestId: id, campaign: rendered.slug });
    const outcome = await Promise.race([page.answered, win.closed.then(() => null)]);
    if (outcome) this.answered(request, outcome);
    else if (this.queue.current === id) {
      log.info('prompt window closed without an answer', { requestId: id });
      this.snooze(id, Math.min(dismissDelayMs, request.campaign.postponeDelaySec * 1000));
    }
    if (outcome?.state === 'fully') await Promise.race([new Promise((r) => setTimeout(r, this.options.closeDelayMs ?? 4000)), win.closed]);
    win.close();
    page.close();
    this.closeCurrent = null;
    if (this.queue.current === id) this.queue.current = null;
    // the next prompt finds the browser warm again, should it have exited
    if (this.warm && !this.warm.isRunning) void this.warm.start(geometry);
    void this.pump();
  }

  /** "Get help": the form in an app window (from the menu, or `fixpoint-tray --get-help` through SIGUSR1). */
  async openHelp(): Promise<void> {
    await this.help.show().catch((error: unknown) => log.error('help: cannot show the form', { error: String(error) }));
  }

  private async openWindow(url: string): Promise<{ closed: Promise<unknown>; close(): void }> {
    const choice = choosePromptWindow();
    if (choice.kind === 'none') throw new Error(choice.reason);
    await this.screenKnown;
    const geometry = placeWindow(this.screen);
    const { profileDir, debugWindow: debug, browserArgs: extraArgs } = this.options;
    if (choice.kind === 'webkit') return openWebKitWindow(url, geometry);
    return (await this.warm?.open(url, geometry)) ?? openAppWindow({ url, browser: choice.browser, profileDir, geometry, debug, extraArgs });
  }

  private snooze(id: string, ms: number): void {
    this.queue.snooze(id, Math.min(ms, this.options.snoozeCapMs ?? ms));
  }

  private answered(request: PromptRequest, answer: PageAnswer): void {
    const id = request.requestId;
    this.link.send({
      type: 'answer',
      requestId: id,
      state: answer.state,
      answers: answer.answers,
      freeText: answer.freeText,
      ...(answer.language ? { language: answer.language } : {}),
      respondedAt: answer.respondedAt,
    });
    log.info('prompt answered', { requestId: id, state: answer.state });
    if (answer.state === 'postponed') this.snooze(id, request.campaign.postponeDelaySec * 1000);
    else this.queue.remove(id);
  }
}
