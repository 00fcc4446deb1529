import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { localize, type SelfServiceFix } from '@fixpoint/protocol';
import type { FixpointRunDetail, SelfServiceRun } from '../events';
import { styles } from './self-service.styles';
import { selfServiceStrings, waitText, type SelfServiceStrings } from './strings';

/**
 * The "Fix a problem" window: the fixes this device offers, one of them with what it does and a button to run it,
 * then where the run stands (a live region, so screen readers hear each step) and its result or why it was refused.
 *
 * @event fixpoint-run - The user asked to run a fix; the detail names its action.
 * @csspart list - The list of fixes.
 * @csspart status - The run's progress and result.
 */
export class FixpointSelfService extends LitElement {
  static override styles = styles;
  static override properties: PropertyDeclarations = {
    fixes: { attribute: false },
    selected: { type: String },
    run: { attribute: false },
    language: { type: String },
  };

  /** The fixes offered, or null while loading. */
  declare fixes: SelfServiceFix[] | null;
  /** The action of the fix shown, or empty for the list. */
  declare selected: string;
  /** The run of the fix shown, once asked for. */
  declare run: SelfServiceRun | null;
  declare language: string | undefined;
  private focusHeading = false;

  constructor() {
    super();
    this.fixes = null;
    this.selected = '';
    this.run = null;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('selected') && this.focusHeading) {
      this.focusHeading = false;
      this.renderRoot.querySelector<HTMLElement>(this.selected ? '#run' : 'ul button')?.focus();
    }
  }

  override render() {
    const s = selfServiceStrings(this.language);
    const fix = this.fixes?.find((f) => f.action === this.selected);
    return html`<section aria-labelledby="title">
      <header><h1 id="title">${s.title}</h1></header>
      <div class="body">${fix ? this.renderFix(s, fix) : this.renderList(s)}</div>
    </section>`;
  }

  private text(fix: SelfServiceFix, which: 'title' | 'description'): string {
    return localize(fix[which], this.language, fix.defaultLanguage);
  }

  private renderList(s: SelfServiceStrings) {
    if (!this.fixes) return html`<p class="hint" role="status">${s.loading}</p>`;
    if (!this.fixes.length) return html`<p class="hint">${s.none}</p>`;
    return html`<p class="hint">${s.intro}</p>
      <ul part="list">
        ${this.fixes.map(
          (f) => html`<li><button type="button" @click=${() => this.handleChoose(f.action)}><strong>${this.text(f, 'title')}</strong><span>${this.text(f, 'description')}</span></button></li>`,
        )}
      </ul>`;
  }

  private renderFix(s: SelfServiceStrings, fix: SelfServiceFix) {
    const run = this.run?.action === fix.action ? this.run : null;
    const busy = run !== null && ['requested', 'queued', 'running'].includes(run.state);
    return html`<h2>${this.text(fix, 'title')}</h2>
      <p>${this.text(fix, 'description')}</p>
      <div class="actions">
        <button id="run" class="primary" type="button" ?disabled=${busy} @click=${() => this.handleRun(fix.action)}>${s.run}</button>
        <button type="button" @click=${() => this.handleChoose('')}>${s.back}</button>
      </div>
      <p part="status" class="status ${run ? statusClass(run) : ''}" role="status" aria-live="polite">${run ? statusText(s, run) : nothing}</p>`;
  }

  private handleChoose(action: string): void {
    this.focusHeading = true;
    this.selected = action;
  }

  private handleRun(action: string): void {
    this.run = { action, state: 'requested' };
    this.dispatchEvent(new CustomEvent<FixpointRunDetail>('fixpoint-run', { detail: { action }, bubbles: true, composed: true }));
  }
}

function statusClass(run: SelfServiceRun): string {
  if (run.state === 'succeeded') return 'good';
  return ['failed', 'timed_out', 'canceled', 'refused'].includes(run.state) ? 'bad' : '';
}

/** What the status line says about a run. */
export function statusText(s: SelfServiceStrings, run: SelfServiceRun): string {
  switch (run.state) {
    case 'requested':
      return s.requested;
    case 'queued':
      return s.queued;
    case 'running':
      return s.running;
    case 'succeeded':
      return s.succeeded;
    case 'failed':
      return s.failed.replace('{code}', String(run.exitCode ?? '—'));
    case 'timed_out':
      return s.timedOut;
    case 'canceled':
      return s.canceled;
    case 'refused': {
      const retry = run.retryAfterSec !== undefined ? ` ${s.tryAgainIn.replace('{when}', waitText(s, run.retryAfterSec))}` : '';
      // the server's own words for other refusals (a fix that is gone, a server error): they say what happened
      const why = run.code === 'rate_limited' ? s.rateLimited : (run.message ?? '');
      return `${why}${retry}`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fixpoint-self-service': FixpointSelfService;
  }
}
