import { html } from 'lit';
import { questionStyles } from '../shared/question.styles';
import { sanitizedMarkup } from '../shared/markup';
import { RadioQuestionElement } from '../shared/radio-question';
import { styles } from './question-single.styles';

/**
 * A single-choice question: a radio group, usable with arrow keys and Space.
 *
 * @event fixpoint-change - The chosen option changed; `values` holds its id.
 * @csspart text - The question text.
 * @csspart options - The radio group.
 * @csspart option - One choice.
 */
export class FixpointQuestionSingle extends RadioQuestionElement {
  static override styles = [questionStyles, styles];

  override render() {
    const q = this.question;
    if (!q) return html``;
    return html`<div class="text" part="text" id="text">${sanitizedMarkup(q.html)}</div>
      ${this.renderRadios(q.choices ?? [], 'text', 'vertical')}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fixpoint-question-single': FixpointQuestionSingle;
  }
}
