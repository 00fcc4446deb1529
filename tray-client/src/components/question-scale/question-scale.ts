import { html } from 'lit';
import { questionStyles } from '../shared/question.styles';
import { sanitizedMarkup } from '../shared/markup';
import { RadioQuestionElement } from '../shared/radio-question';
import { scaleOptions } from '../shared/scale-options';
import { styles } from './question-scale.styles';

/**
 * An opinion scale from `min` to `max`, with optional labels at both ends.
 *
 * @event fixpoint-change - A point was chosen; `values` holds it as text, e.g. `["4"]`.
 * @csspart text - The question text.
 * @csspart options - The row of points.
 * @csspart option - One point.
 * @csspart labels - The end labels.
 */
export class FixpointQuestionScale extends RadioQuestionElement {
  static override styles = [questionStyles, styles];

  override render() {
    const q = this.question;
    if (!q) return html``;
    return html`<div class="text" part="text" id="text">${sanitizedMarkup(q.html)}</div>
      ${this.renderRadios(scaleOptions(q), 'text', 'horizontal')}
      ${q.minLabel || q.maxLabel
        ? html`<div class="labels" part="labels" aria-hidden="true"><span>${q.minLabel ?? ''}</span><span>${q.maxLabel ?? ''}</span></div>`
        : ''}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fixpoint-question-scale': FixpointQuestionScale;
  }
}
