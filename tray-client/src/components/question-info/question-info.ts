import { html, LitElement, type PropertyDeclarations } from 'lit';
import type { RenderedQuestion } from '@fixpoint/protocol';
import { sanitizedMarkup } from '../shared/markup';
import { questionStyles } from '../shared/question.styles';
import { styles } from './question-info.styles';

/**
 * A message between questions; it takes no answer.
 *
 * @csspart text - The message.
 */
export class FixpointQuestionInfo extends LitElement {
  static override styles = [questionStyles, styles];
  static override properties: PropertyDeclarations = { question: { attribute: false } };

  declare question: RenderedQuestion | undefined;

  override render() {
    const q = this.question;
    if (!q) return html``;
    return html`<div class="text" part="text" role="note">${sanitizedMarkup(q.html)}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fixpoint-question-info': FixpointQuestionInfo;
  }
}
