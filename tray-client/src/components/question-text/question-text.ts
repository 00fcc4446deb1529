import { html, LitElement, type PropertyDeclarations } from 'lit';
import type { RenderedQuestion } from '@fixpoint/protocol';
import { changeEvent } from '../events';
import { sanitizedMarkup } from '../shared/markup';
import { questionStyles } from '../shared/question.styles';
import { styles } from './question-text.styles';

/** Characters as the backend counts them (code points, so an emoji is one). */
export const characterCount = (text: string) => [...text].length;

/**
 * A free-text question, with the question's maxLength enforced and a live character count.
 *
 * @event fixpoint-change - The text changed; `text` holds it.
 * @csspart text - The question text.
 * @csspart input - The text area.
 * @csspart counter - The character count.
 */
export class FixpointQuestionText extends LitElement {
  static override styles = [questionStyles, styles];
  static override properties: PropertyDeclarations = {
    question: { attribute: false },
    value: { attribute: false },
    invalid: { type: Boolean, reflect: true },
  };

  declare question: RenderedQuestion | undefined;
  declare value: string;
  declare invalid: boolean;

  constructor() {
    super();
    this.value = '';
    this.invalid = false;
  }

  override render() {
    const q = this.question;
    if (!q) return html``;
    const max = q.maxLength ?? 2000;
    return html`<div class="text" part="text" id="text">${sanitizedMarkup(q.html)}</div>
      <textarea
        part="input"
        aria-labelledby="text"
        aria-describedby="counter"
        aria-required=${q.required ? 'true' : 'false'}
        aria-invalid=${this.invalid ? 'true' : 'false'}
        maxlength=${max}
        placeholder=${q.placeholder ?? ''}
        .value=${this.value}
        @input=${this.handleInput}
      ></textarea>
      <div class="counter" part="counter" id="counter" aria-live="polite">${characterCount(this.value)} / ${max}</div>`;
  }

  private handleInput(event: Event): void {
    if (!this.question) return;
    const max = this.question.maxLength ?? 2000;
    const area = event.target as HTMLTextAreaElement;
    // maxlength counts UTF-16 units and a paste may slip past it; keep within what the backend accepts
    const text = characterCount(area.value) > max ? [...area.value].slice(0, max).join('') : area.value;
    if (text !== area.value) area.value = text;
    this.value = text;
    this.dispatchEvent(changeEvent({ questionId: this.question.id, values: [], text }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fixpoint-question-text': FixpointQuestionText;
  }
}
