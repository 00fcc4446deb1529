/**
 * @module The tray's own windows: "Fix a problem" (the self-service fixes this device offers, running one and
 * following it to its result) and "Recent activity" (what ran here in the last 30 days). Both ask the agent over the
 * tray link and match its answers by `localId`; each kind has at most one window, and opening it again replaces it.
 */
import { randomUUID } from 'node:crypto';
import type { AgentToTrayMessage, SelfServiceFix, TrayMessage } from '@fixpoint/protocol';
import { activityStrings, selfServiceStrings } from './components';
import type { SelfServiceRun } from './components/events';
import { log } from './log';
import type { ToolWindowKind } from './page/tool-data';
import { serveToolPage, type ToolPage } from './window/tool-page-server';

/** The agent's answers this module handles. */
export type ToolAnswer = Extract<AgentToTrayMessage, { type: 'self_service_fixes' | 'self_service_error' | 'self_service_progress' | 'activity_list' }>;

export interface ToolWindowsOptions {
  /** Sends to the agent; false when not connected. */
  send(message: TrayMessage): boolean;
  language: string;
  /** The page script (the prompt page's bundle, which serves these windows too). */
  script(): string;
  /** Opens an app window on `url`. */
  open(url: string): Promise<{ close(): void; closed: Promise<unknown> } | null>;
  /** The fixes changed (for the menu). */
  onFixes?(fixes: SelfServiceFix[]): void;
  /** How long the agent has to answer (default 40 s: it waits up to 30 s for the server). */
  answerTimeoutMs?: number;
}

interface Open {
  page: ToolPage;
  close(): void;
}

export class ToolWindows {
  /** The fixes as last listed. */
  fixes: SelfServiceFix[] = [];
  private readonly waiting = new Map<string, (answer: ToolAnswer) => void>();
  private readonly windows = new Map<ToolWindowKind, Open>();

  constructor(private readonly options: ToolWindowsOptions) {}

  /** Hands an answer of the agent to the request waiting for it (answers nobody waits for are dropped). */
  handleAgent(answer: ToolAnswer): void {
    this.waiting.get(answer.localId)?.(answer);
  }

  /** Asks the agent for the fixes; resolves with them, or with the refusal. */
  async refreshFixes(): Promise<SelfServiceFix[] | Extract<ToolAnswer, { type: 'self_service_error' }>> {
    const answer = await this.ask((localId) => ({ type: 'self_service', localId, op: 'list' }));
    if (answer.type === 'self_service_fixes') {
      this.fixes = answer.fixes;
      this.options.onFixes?.(answer.fixes);
      return answer.fixes;
    }
    if (answer.type === 'self_service_error') return answer;
    return this.fixes;
  }

  /** Opens the self-service window, on one fix when `selected` names it. */
  async openSelfService(selected?: string): Promise<void> {
    const s = selfServiceStrings(this.options.language);
    const page = await this.openWindow('self-service', s.title, {
      onRun: (action) => this.run(page, action),
    }, selected);
    if (!page) return;
    const fixes = await this.refreshFixes();
    page.push({ kind: 'fixes', fixes: Array.isArray(fixes) ? fixes : this.fixes });
  }

  /** Opens the activity window. */
  async openActivity(): Promise<void> {
    const load = async (page: ToolPage) => {
      const answer = await this.ask((localId) => ({ type: 'activity', localId }));
      page.push({ kind: 'entries', entries: answer.type === 'activity_list' ? answer.entries : [] });
    };
    const page = await this.openWindow('activity', activityStrings(this.options.language).title, { onRefresh: () => page && void load(page) });
    if (page) await load(page);
  }

  closeAll(): void {
    for (const w of this.windows.values()) w.close();
    this.windows.clear();
  }

  private async openWindow(
    kind: ToolWindowKind, title: string, handlers: { onRun?(action: string): void; onRefresh?(): void }, selected?: string,
  ): Promise<ToolPage | null> {
    this.windows.get(kind)?.close();
    const page = await serveToolPage({ data: { kind, language: this.options.language, ...(selected ? { selected } : {}) }, title, script: this.options.script(), ...handlers });
    const win = await this.options.open(page.url);
    if (!win) {
      page.close();
      return null;
    }
    const open: Open = {
      page,
      close: () => {
        win.close();
        page.close();
      },
    };
    this.windows.set(kind, open);
    void win.closed.then(() => {
      page.close();
      if (this.windows.get(kind) === open) this.windows.delete(kind);
    });
    log.info('tray window opened', { kind });
    return page;
  }

  /** Runs a fix and streams where it stands to the window, until its result or refusal. */
  private run(page: ToolPage | null, action: string): void {
    if (!page) return;
    const show = (run: SelfServiceRun) => page.push({ kind: 'run', run });
    const localId = randomUUID();
    show({ action, state: 'requested' });
    const done = (run: SelfServiceRun) => {
      this.waiting.delete(localId);
      show(run);
      log.info('self-service run ended', { action, state: run.state });
    };
    const timer = setTimeout(() => done({ action, state: 'refused', message: 'No answer from this computer’s agent.' }), this.options.answerTimeoutMs ?? 40_000);
    this.waiting.set(localId, (answer) => {
      if (answer.type === 'self_service_error') {
        clearTimeout(timer);
        return done({ action, state: 'refused', code: answer.code, message: answer.message, retryAfterSec: answer.retryAfterSec });
      }
      if (answer.type !== 'self_service_progress') return;
      // once launched, the run may take as long as its action allows
      clearTimeout(timer);
      if (answer.state === 'queued' || answer.state === 'running') return show({ action, state: answer.state });
      done({ action, state: answer.state, exitCode: answer.exitCode ?? null });
    });
    if (!this.options.send({ type: 'self_service', localId, op: 'run', action })) {
      clearTimeout(timer);
      done({ action, state: 'refused', message: 'The Fixpoint agent is not running on this computer.' });
    }
  }

  /** Sends a request and waits for its one answer (an error answer after the timeout or when not connected). */
  private ask(build: (localId: string) => TrayMessage): Promise<ToolAnswer> {
    const localId = randomUUID();
    const failed = (message: string): ToolAnswer => ({ type: 'self_service_error', localId, code: 'internal', message });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(localId);
        resolve(failed('no answer from the agent'));
      }, this.options.answerTimeoutMs ?? 40_000);
      this.waiting.set(localId, (answer) => {
        clearTimeout(timer);
        this.waiting.delete(localId);
        resolve(answer);
      });
      if (!this.options.send(build(localId))) {
        clearTimeout(timer);
        this.waiting.delete(localId);
        resolve(failed('not connected to the agent'));
      }
    });
  }
}
