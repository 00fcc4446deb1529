import { html, LitElement, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { RenderedQuestion } from '@fixpoint/protocol';
import { changeEvent } from '../events';
import { nextIndex } from './keyboard';

export interface RadioOption {
  id: string;
  label: string;
  /** Read by screen readers instead of `label`, e.g. "0, Not at all" for the first point of a scale. */
  ariaLabel?: string;
}

/**
 * The radio group behind single-choice, scale and NPS questions, following the WAI-ARIA radio group pattern:
 * one tab stop (the checked option, else the first), arrow keys move and check, Home and End jump, Space checks.
 * Subclasses render the question around `renderRadios()`.
 */
export class RadioQuestionElement extends LitElement {
  static override properties: PropertyDeclarations = {
    question: { attribute: false },
    value: { attribute: false },
    invalid: { type: Boolean, reflect: true },
  };

  /** The question as `renderCampaign` renders it. */
  declare question: RenderedQuestion | undefined;
  /** The checked option's id, as a one-item list (empty when nothing is checked). */
  declare value: string[];
  /** Marks the group as missing an answer. */
  declare invalid: boolean;

  constructor() {
    super();
    this.value = [];
    this.invalid = false;
  }

  protected renderRadios(options: RadioOption[], labelledBy: string, orientation: 'horizontal' | 'vertical'): TemplateResult {
    const checked = options.findIndex((o) => o.id === this.value[0]);
    const tabStop = checked >= 0 ? checked : 0;
    return html`<div
      class="options ${orientation}"
      role="radiogroup"
      part="options"
      aria-labelledby=${labelledBy}
      aria-orientation=${orientation}
      aria-required="true"
      aria-invalid=${this.invalid ? 'true' : 'false'}
      @keydown=${this.handleKeydown}
    >
      ${options.map(
        (o, i) => html`<div
          class="option"
          part="option"
          role="radio"
          aria-checked=${i === checked ? 'true' : 'false'}
          aria-label=${o.ariaLabel ?? o.label}
          tabindex=${i === tabStop ? 0 : -1}
          data-id=${o.id}
          @click=${this.handleClick}
        >
          ${o.label}
        </div>`,
      )}
    </div>`;
  }

  private handleClick(event: Event): void {
    this.check((event.currentTarget as HTMLElement).dataset.id);
  }

  private handleKeydown(event: KeyboardEvent): void {
    const radios = [...this.renderRoot.querySelectorAll<HTMLElement>('[role="radio"]')];
    const current = radios.indexOf(event.target as HTMLElement);
    if (event.key === ' ') {
      event.preventDefault();
      this.check(radios[current]?.dataset.id);
      return;
    }
    const next = nextIndex(event.key, Math.max(current, 0), radios.length);
    if (next === null) return;
    event.preventDefault();
    this.check(radios[next]!.dataset.id);
    radios[next]!.focus();
  }

  private check(id: string | undefined): void {
    if (!this.question || id === undefined) return;
    this.value = [id];
    this.dispatchEvent(changeEvent({ questionId: this.question.id, values: [id] }));
  }
}
