import { html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { PromptDeadline } from '@fixpoint/protocol';
import { promptStrings } from '../prompt/strings';
import { styles } from './deadline.styles';

/** True once the countdown before `deadline` has begun. */
export function inCountdown(deadline: PromptDeadline, now: number): boolean {
  return Date.parse(deadline.at) - deadline.countdownSec * 1000 <= now;
}

/** Whether the prompt may offer a postpone: postpones left, and the countdown not begun. */
export function postponeOffered(deadline: PromptDeadline | undefined, now: number): boolean {
  return !deadline || (deadline.postponesLeft !== 0 && !inCountdown(deadline, now));
}

/** `m:ss` of the time left (never negative). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * What a deadline means for the user: how many postpones are left, when the thing goes ahead, and in its last
 * `countdownSec` a countdown, updated every second.
 *
 * @event fixpoint-countdown - The countdown began (the prompt then stops offering a postpone).
 * @csspart deadline - The box.
 * @csspart countdown - The countdown line.
 */
export class FixpointDeadline extends LitElement {
  static override styles = styles;
  static override properties: PropertyDeclarations = {
    deadline: { attribute: false },
    language: { type: String },
    now: { attribute: false },
    tick: { state: true },
  };

  declare deadline: PromptDeadline | undefined;
  /** Language of the texts and of the date. */
  declare language: string;
  /** The clock (tests set their own). */
  declare now: () => number;
  declare private tick: number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private counting = false;

  constructor() {
    super();
    this.language = 'en';
    this.now = Date.now;
    this.tick = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => this.handleTick(), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private handleTick(): void {
    this.tick++;
    if (!this.counting && this.deadline && inCountdown(this.deadline, this.now()))
      this.dispatchEvent(new CustomEvent('fixpoint-countdown', { bubbles: true, composed: true }));
  }

  override render() {
    const d = this.deadline;
    if (!d) return nothing;
    const strings = promptStrings(this.language);
    const now = this.now();
    const at = Date.parse(d.at);
    this.counting = inCountdown(d, now);
    const left = d.postponesLeft;
    let when: string;
    try {
      when = new Intl.DateTimeFormat(this.language, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
    } catch {
      when = new Date(at).toISOString();
    }
    return html`<div class="deadline" part="deadline">
      ${left === null ? nothing : html`<p class="postpones">${left > 0 ? strings.postponesLeft.replace('{n}', String(left)) : strings.noPostponesLeft}</p>`}
      ${this.counting
        ? html`<p class="countdown" part="countdown" role="timer">${strings.countdown.replace('{time}', formatCountdown(at - now))}</p>`
        : html`<p class="when">${strings.deadline.replace('{time}', when)}</p>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fixpoint-deadline': FixpointDeadline;
  }
  interface HTMLElementEventMap {
    'fixpoint-countdown': CustomEvent<void>;
  }
}
