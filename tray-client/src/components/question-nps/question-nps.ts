import { html } from 'lit';
import { questionStyles } from '../shared/question.styles';
import { sanitizedMarkup } from '../shared/markup';
import { RadioQuestionElement } from '../shared/radio-question';
import { scaleOptions } from '../shared/scale-options';
import { styles } from './question-nps.styles';

/**
 * A Net Promoter Score question: 0 to 10 in one row. Which band the answer falls in (promoter 9–10, passive 7–8,
 * detractor 0–6) decides the branch the prompt follows.
 *
 * @event fixpoint-change - A score was chosen; `values` holds it as text, e.g. `["9"]`.
 * @csspart text - The question text.
 * @csspart options - The row of scores.
 * @csspart option - One score.
 * @csspart labels - The end labels.
 */
export class FixpointQuestionNps extends RadioQuestionElement {
  static override styles = [questionStyles, styles];

  override render() {
    const q = this.question;
    if (!q) return html``;
    return html`<div class="text" part="text" id="text">${sanitizedMarkup(q.html)}</div>
      ${this.renderRadios(scaleOptions({ ...q, min: 0, max: 10 }), 'text', 'horizontal')}
      ${q.minLabel || q.maxLabel
        ? html`<div class="labels" part="labels" aria-hidden="true"><span>${q.minLabel ?? ''}</span><span>${q.maxLabel ?? ''}</span></div>`
        : ''}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fixpoint-question-nps': FixpointQuestionNps;
  }
}
