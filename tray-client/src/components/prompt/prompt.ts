import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import {
  CampaignDefinition,
  hasAnswer,
  needsAnswer,
  nextQuestionId,
  renderCampaign,
  traceCampaign,
  validateAnswers,
  type PromptDeadline,
  type RenderedCampaign,
  type RenderedQuestion,
} from '@fixpoint/protocol';
import { postponeOffered } from '../deadline/deadline';
import type { FixpointAnswerDetail, FixpointChangeDetail } from '../events';
import { sanitizedMarkup } from '../shared/markup';
import { styles } from './prompt.styles';
import { promptStrings } from './strings';

type Phase = 'asking' | 'done' | 'closed';

/**
 * A whole campaign: the branding header, one question at a time along the path the answers take, Back and Next,
 * Postpone and Decline when the campaign allows them, and the final message.
 *
 * The campaign is checked with `CampaignDefinition` before anything is shown, so a malformed one never renders.
 *
 * @slot footer - Shown under the prompt, e.g. a "preview" note in the console editor.
 * @event fixpoint-answer - The prompt ended (finished, postponed or declined); the detail is the full response.
 * @csspart header - The branding header.
 * @csspart logo - The logo image.
 * @csspart title - The branding title.
 * @csspart body - The current question.
 * @csspart nav - The row of buttons.
 * @csspart button - Every button.
 * @csspart final - The final message.
 */
export class FixpointPrompt extends LitElement {
  static override styles = styles;
  static override properties: PropertyDeclarations = {
    campaign: { attribute: false },
    parameters: { attribute: false },
    user: { type: String },
    language: { type: String },
    requestId: { type: String, attribute: 'request-id' },
    deadline: { attribute: false },
    answers: { state: true },
    freeText: { state: true },
    position: { state: true },
    phase: { state: true },
    error: { state: true },
  };

  /** The campaign definition (the published version the request was sent with). */
  declare campaign: unknown;
  /** Values for `{{parameters}}`, as the request carries them. */
  declare parameters: Record<string, string>;
  /** The user's display name, for `{user}`. */
  declare user: string | undefined;
  /** Preferred language tag; the campaign's default language fills the gaps. */
  declare language: string | undefined;
  /** Echoed in the `fixpoint-answer` detail. */
  declare requestId: string | undefined;
  /** The request's deadline: shows the postpones left and the countdown, and withholds a postpone past them. */
  declare deadline: PromptDeadline | undefined;

  declare private answers: Record<string, string[]>;
  declare private freeText: Record<string, string>;
  declare private position: number;
  declare private phase: Phase;
  declare private error: string;
  private definition: CampaignDefinition | null = null;
  private rendered: RenderedCampaign | null = null;
  private invalidCampaign = '';
  private focusStep = false;

  constructor() {
    super();
    this.parameters = {};
    this.answers = {};
    this.freeText = {};
    this.position = 0;
    this.phase = 'asking';
    this.error = '';
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('campaign')) {
      const parsed = CampaignDefinition.safeParse(this.campaign);
      this.definition = parsed.success ? parsed.data : null;
      this.invalidCampaign = parsed.success ? '' : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      this.answers = {};
      this.freeText = {};
      this.position = 0;
      this.phase = 'asking';
      this.error = '';
    }
    if (['campaign', 'parameters', 'user', 'language'].some((k) => changed.has(k as keyof FixpointPrompt)))
      this.rendered = this.definition
        ? renderCampaign(this.definition, { language: this.language, parameters: this.parameters, user: this.user })
        : null;
  }

  override updated(): void {
    if (!this.focusStep) return;
    this.focusStep = false;
    this.renderRoot.querySelector<HTMLElement>('.step')?.focus();
  }

  override render() {
    if (!this.definition || !this.rendered)
      return this.invalidCampaign ? html`<p role="alert" class="final">This campaign cannot be shown: ${this.invalidCampaign}</p>` : nothing;
    const r = this.rendered;
    const accent = /^#[0-9a-f]{6}$/i.test(r.branding.accentColor) ? r.branding.accentColor : '#2563eb';
    return html`<section aria-labelledby="title" style="--fixpoint-accent: ${accent}">
      <header part="header">
        ${r.branding.logoUrl ? html`<img part="logo" src=${r.branding.logoUrl} alt="" />` : nothing}
        <h1 id="title" part="title">${r.branding.title}</h1>
        ${r.urgency === 'urgent' ? html`<span class="urgent">${promptStrings(r.language).urgent}</span>` : nothing}
      </header>
      ${this.phase === 'done'
        ? html`<div class="final" part="final" role="status">${sanitizedMarkup(r.finalHtml)}</div>`
        : this.phase === 'asking'
          ? this.renderStep(r)
          : nothing}
      <slot name="footer"></slot>
    </section>`;
  }

  private renderStep(r: RenderedCampaign) {
    const strings = promptStrings(r.language);
    const path = traceCampaign(this.definition!, this.answers, this.freeText).path;
    const id = path[Math.min(this.position, path.length - 1)]!;
    const question = r.questions.find((q) => q.id === id)!;
    const last = nextQuestionId(this.definition!, id, this.answers) === 'end';
    return html`<div class="body" part="body">
        <p class="step" tabindex="-1">${strings.step.replace('{n}', String(this.position + 1))}</p>
        ${this.renderQuestion(question)}
        <p class="error" role="alert" aria-live="assertive">${this.error}</p>
      </div>
      ${this.deadline
        ? html`<fixpoint-deadline .deadline=${this.deadline} language=${r.language} @fixpoint-countdown=${this.handleCountdown}></fixpoint-deadline>`
        : nothing}
      <nav part="nav">
        ${this.position > 0 ? html`<button part="button" class="back" @click=${this.handleBack}>${strings.back}</button>` : nothing}
        <span class="spacer"></span>
        ${r.allowDecline ? html`<button part="button" class="decline" @click=${this.handleDecline}>${strings.decline}</button>` : nothing}
        ${r.allowPostpone && postponeOffered(this.deadline, Date.now()) ? html`<button part="button" class="postpone" @click=${this.handlePostpone}>${strings.postpone}</button>` : nothing}
        <button part="button" class="primary next" @click=${this.handleNext}>${last ? strings.finish : strings.next}</button>
      </nav>`;
  }

  private renderQuestion(q: RenderedQuestion) {
    const invalid = this.error !== '';
    const values = this.answers[q.id] ?? [];
    switch (q.type) {
      case 'single':
        return html`<fixpoint-question-single .question=${q} .value=${values} ?invalid=${invalid} @fixpoint-change=${this.handleChange}></fixpoint-question-single>`;
      case 'multiple':
        return html`<fixpoint-question-multiple .question=${q} .value=${values} ?invalid=${invalid} @fixpoint-change=${this.handleChange}></fixpoint-question-multiple>`;
      case 'scale':
        return html`<fixpoint-question-scale .question=${q} .value=${values} ?invalid=${invalid} @fixpoint-change=${this.handleChange}></fixpoint-question-scale>`;
      case 'nps':
        return html`<fixpoint-question-nps .question=${q} .value=${values} ?invalid=${invalid} @fixpoint-change=${this.handleChange}></fixpoint-question-nps>`;
      case 'text':
        return html`<fixpoint-question-text .question=${q} .value=${this.freeText[q.id] ?? ''} ?invalid=${invalid} @fixpoint-change=${this.handleChange}></fixpoint-question-text>`;
      case 'info':
        return html`<fixpoint-question-info .question=${q}></fixpoint-question-info>`;
    }
  }

  private handleChange(event: CustomEvent<FixpointChangeDetail>): void {
    const { questionId, values, text } = event.detail;
    if (text !== undefined) this.freeText = { ...this.freeText, [questionId]: text };
    else this.answers = { ...this.answers, [questionId]: values };
    this.error = '';
  }

  private handleBack(): void {
    this.position = Math.max(this.position - 1, 0);
    this.error = '';
    this.focusStep = true;
  }

  private handleNext(): void {
    const definition = this.definition!;
    const path = traceCampaign(definition, this.answers, this.freeText).path;
    const id = path[this.position]!;
    const question = definition.questions.find((q) => q.id === id)!;
    const strings = promptStrings(this.rendered!.language);
    if (needsAnswer(question) && !hasAnswer(question, this.answers, this.freeText)) {
      this.error = strings.answerRequired;
      return;
    }
    const sofar = this.collect(path.slice(0, this.position + 1));
    const problem = validateAnswers(definition, sofar.answers, { freeText: sofar.freeText }).problems.find((p) => p.questionId === id);
    if (problem) {
      this.error = problem.message;
      return;
    }
    if (nextQuestionId(definition, id, this.answers) === 'end') this.finish('fully');
    else {
      this.position += 1;
      this.focusStep = true;
    }
  }

  /** The countdown began: render again without the postpone button. */
  private handleCountdown(): void {
    this.requestUpdate();
  }

  private handlePostpone(): void {
    this.finish('postponed');
  }

  private handleDecline(): void {
    this.finish('declined');
  }

  /** The answers to the given questions, without empty ones (a multiple choice emptied again, blank text). */
  private collect(ids: readonly string[]): { answers: Record<string, string[]>; freeText: Record<string, string> } {
    const answers: Record<string, string[]> = {};
    const freeText: Record<string, string> = {};
    for (const id of ids) {
      if (this.answers[id]?.length) answers[id] = this.answers[id];
      if (this.freeText[id]?.trim()) freeText[id] = this.freeText[id];
    }
    return { answers, freeText };
  }

  private finish(state: FixpointAnswerDetail['state']): void {
    const definition = this.definition!;
    const trace = traceCampaign(definition, this.answers, this.freeText);
    // what the user saw: the whole path when finished, up to the current question otherwise
    const { answers, freeText } = this.collect(state === 'fully' ? trace.path : trace.path.slice(0, this.position + 1));
    const check = validateAnswers(definition, answers, { freeText, complete: state === 'fully' });
    if (!check.ok && state === 'fully') {
      this.error = check.problems[0]!.message;
      return;
    }
    const detail: FixpointAnswerDetail = {
      requestId: this.requestId ?? null,
      state,
      // a partly answered question is left out of a postponed or declined response rather than sent invalid
      answers: check.ok ? answers : Object.fromEntries(Object.entries(answers).filter(([id]) => !check.problems.some((p) => p.questionId === id))),
      freeText: check.ok ? freeText : Object.fromEntries(Object.entries(freeText).filter(([id]) => !check.problems.some((p) => p.questionId === id))),
      user: this.user ?? null,
      language: this.rendered!.language,
      respondedAt: new Date().toISOString(),
    };
    this.phase = state === 'fully' ? 'done' : 'closed';
    this.dispatchEvent(new CustomEvent('fixpoint-answer', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fixpoint-prompt': FixpointPrompt;
  }
}
