import { html, LitElement, type PropertyDeclarations } from 'lit';
import type { RenderedQuestion } from '@fixpoint/protocol';
import { changeEvent } from '../events';
import { nextIndex } from '../shared/keyboard';
import { sanitizedMarkup } from '../shared/markup';
import { questionStyles } from '../shared/question.styles';
import { styles } from './question-multiple.styles';

/**
 * A multiple-choice question: a group of checkboxes, each a tab stop toggled with Space; arrow keys move between them.
 * At least one must be checked before the prompt moves on.
 *
 * @event fixpoint-change - The checked options changed; `values` holds their ids in the order of the choices.
 * @csspart text - The question text.
 * @csspart options - The group of checkboxes.
 * @csspart option - One choice.
 */
export class FixpointQuestionMultiple extends LitElement {
  static override styles = [questionStyles, styles];
  static override properties: PropertyDeclarations = {
    question: { attribute: false },
    value: { attribute: false },
    invalid: { type: Boolean, reflect: true },
  };

  declare question: RenderedQuestion | undefined;
  /** Ids of the checked choices. */
  declare value: string[];
  declare invalid: boolean;

  constructor() {
    super();
    this.value = [];
    this.invalid = false;
  }

  override render() {
    const q = this.question;
    if (!q) return html``;
    return html`<div class="text" part="text" id="text">${sanitizedMarkup(q.html)}</div>
      <div class="options" part="options" role="group" aria-labelledby="text" aria-invalid=${this.invalid ? 'true' : 'false'} @keydown=${this.handleKeydown}>
        ${(q.choices ?? []).map(
          (ch) => html`<div
            class="option"
            part="option"
            role="checkbox"
            tabindex="0"
            aria-checked=${this.value.includes(ch.id) ? 'true' : 'false'}
            data-id=${ch.id}
            @click=${this.handleClick}
          >
            ${ch.label}
          </div>`,
        )}
      </div>`;
  }

  private handleClick(event: Event): void {
    this.toggle((event.currentTarget as HTMLElement).dataset.id);
  }

  private handleKeydown(event: KeyboardEvent): void {
    const boxes = [...this.renderRoot.querySelectorAll<HTMLElement>('[role="checkbox"]')];
    const current = boxes.indexOf(event.target as HTMLElement);
    if (event.key === ' ') {
      event.preventDefault();
      this.toggle(boxes[current]?.dataset.id);
      return;
    }
    const next = nextIndex(event.key, Math.max(current, 0), boxes.length);
    if (next === null) return;
    event.preventDefault();
    boxes[next]!.focus();
  }

  private toggle(id: string | undefined): void {
    if (!this.question || id === undefined) return;
    const checked = new Set(this.value);
    if (checked.has(id)) checked.delete(id);
    else checked.add(id);
    this.value = (this.question.choices ?? []).map((ch) => ch.id).filter((c) => checked.has(c));
    this.dispatchEvent(changeEvent({ questionId: this.question.id, values: this.value }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fixpoint-question-multiple': FixpointQuestionMultiple;
  }
}
