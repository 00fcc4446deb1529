import { html, LitElement, type PropertyDeclarations } from 'lit';
import type { ActivityEntry } from '@fixpoint/protocol';
import { styles } from './activity.styles';
import { activityStrings, originText } from './strings';

/**
 * The activity window: what ran on this device in the last 30 days, newest first, as a table: the action and its
 * parameters (secret ones arrive as `***`), who launched it, when, the ticket, and the result. The table scrolls
 * inside a focusable region, so the keyboard reaches every row.
 *
 * @event fixpoint-refresh - The user asked for the list again.
 * @csspart table - The table of runs.
 */
export class FixpointActivity extends LitElement {
  static override styles = styles;
  static override properties: PropertyDeclarations = {
    entries: { attribute: false },
    language: { type: String },
  };

  /** The runs, newest first; null while loading. */
  declare entries: ActivityEntry[] | null;
  declare language: string | undefined;

  constructor() {
    super();
    this.entries = null;
  }

  override render() {
    const s = activityStrings(this.language);
    const when = new Intl.DateTimeFormat(this.language || 'en', { dateStyle: 'medium', timeStyle: 'short' });
    const entries = this.entries ?? [];
    return html`<section aria-labelledby="title">
      <header><h1 id="title">${s.title}</h1></header>
      <div class="body">
        ${entries.length
          ? html`<div class="scroll" tabindex="0" role="region" aria-labelledby="title">
              <table part="table">
                <caption>${s.intro}</caption>
                <thead><tr><th scope="col">${s.action}</th><th scope="col">${s.launchedBy}</th><th scope="col">${s.when}</th><th scope="col">${s.ticket}</th><th scope="col">${s.result}</th></tr></thead>
                <tbody>
                  ${entries.map(
                    (e) => html`<tr>
                      <td>${e.action}${paramsText(e) ? html`<span class="params">${paramsText(e)}</span>` : ''}</td>
                      <td>${originText(s, e)}</td>
                      <td><time datetime=${e.startedAt}>${when.format(new Date(e.startedAt))}</time></td>
                      <td>${e.origin?.ticket ?? '—'}</td>
                      <td class=${e.status === 'succeeded' ? 'good' : e.status === 'running' ? '' : 'bad'}>${s.results[e.status]}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p class="hint" role="status">${this.entries ? s.none : '…'}</p>`}
        <div class="toolbar"><button type="button" @click=${this.handleRefresh}>${s.refresh}</button></div>
      </div>
    </section>`;
  }

  private handleRefresh(): void {
    this.dispatchEvent(new CustomEvent('fixpoint-refresh', { bubbles: true, composed: true }));
  }
}

/** `name=value, …` of a run's parameters. */
export function paramsText(entry: Pick<ActivityEntry, 'parameters'>): string {
  return Object.entries(entry.parameters)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

declare global {
  interface HTMLElementTagNameMap {
    'fixpoint-activity': FixpointActivity;
  }
}
