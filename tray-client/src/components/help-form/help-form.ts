import { html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { helpLimits } from '@fixpoint/protocol';
import { styles } from './help-form.styles';
import { helpStrings } from './strings';

/** What the user sends: the screenshot only when they ticked the box. */
export interface FixpointHelpSubmitDetail {
  subject: string;
  description: string;
  includeScreenshot: boolean;
}

/** Where the request stands, as the page sets it after a submit. */
export type HelpFormState = { phase: 'editing' } | { phase: 'sending' } | { phase: 'sent'; id: string } | { phase: 'failed'; message: string };

/**
 * The "Get help" form: a subject, a description, and a screenshot the user must tick to include (with a preview of
 * exactly what would be sent). Keyboard only: Tab through the fields, Space ticks, Enter in the subject sends.
 *
 * @event fixpoint-help-submit - The user sends; the detail says what.
 * @event fixpoint-help-cancel - The user cancels, or closes after sending.
 * @csspart form - The form.
 */
export class FixpointHelpForm extends LitElement {
  static override styles = styles;
  static override properties: PropertyDeclarations = {
    language: { type: String },
    screenshot: { attribute: false },
    screenshotUnavailable: { type: String, attribute: 'screenshot-unavailable' },
    state: { attribute: false },
    error: { state: true },
    includeScreenshot: { state: true },
  };

  declare language: string;
  /** A data: URL of the screenshot taken when the form opened, for the preview; unset when there is none. */
  declare screenshot: string | undefined;
  /** Why there is no screenshot (no screen tool, too large …). */
  declare screenshotUnavailable: string;
  declare state: HelpFormState;
  declare private error: string;
  declare private includeScreenshot: boolean;

  constructor() {
    super();
    this.language = 'en';
    this.screenshotUnavailable = '';
    this.state = { phase: 'editing' };
    this.error = '';
    this.includeScreenshot = false;
  }

  override render() {
    const s = helpStrings(this.language);
    const busy = this.state.phase === 'sending';
    const done = this.state.phase === 'sent';
    return html`<section aria-labelledby="title">
      <header><h1 id="title">${s.title}</h1></header>
      <form part="form" novalidate @submit=${this.handleSubmit}>
        <p class="intro">${s.intro}</p>
        <label for="subject">${s.subject}</label>
        <input id="subject" type="text" required maxlength=${helpLimits.maxSubjectLength} autocomplete="off" ?disabled=${busy || done}
          aria-invalid=${this.error ? 'true' : 'false'} aria-describedby="error" @input=${this.handleInput} />
        <label for="description">${s.description}</label>
        <textarea id="description" maxlength=${helpLimits.maxDescriptionLength} ?disabled=${busy || done}></textarea>
        ${this.screenshot
          ? html`<label class="check"><input id="shot" type="checkbox" .checked=${this.includeScreenshot} ?disabled=${busy || done} @change=${this.handleToggle} />${s.screenshot}</label>
              ${this.includeScreenshot ? html`<p class="hint">${s.screenshotHint}</p><img src=${this.screenshot} alt=${s.screenshot} />` : nothing}`
          : html`<p class="hint no-shot">${s.noScreenshot.replace('{reason}', this.screenshotUnavailable || '—')}</p>`}
        <p class="error" id="error" role="alert">${this.error}</p>
        ${this.renderStatus(s)}
        <nav>
          ${done
            ? html`<button type="button" class="primary close" @click=${this.handleCancel}>${s.close}</button>`
            : html`<button type="button" class="cancel" ?disabled=${busy} @click=${this.handleCancel}>${s.cancel}</button>
                <button type="submit" class="primary send" ?disabled=${busy}>${s.send}</button>`}
        </nav>
      </form>
    </section>`;
  }

  private renderStatus(s: ReturnType<typeof helpStrings>) {
    const st = this.state;
    const text = st.phase === 'sending' ? s.sending : st.phase === 'sent' ? s.sent.replace('{id}', st.id.slice(0, 8)) : '';
    return html`<p class="status" role="status">${text}</p>
      ${st.phase === 'failed' ? html`<p class="error failed" role="alert">${s.failed.replace('{message}', st.message)}</p>` : nothing}`;
  }

  private field<T extends HTMLInputElement | HTMLTextAreaElement>(id: string): T {
    return this.renderRoot.querySelector<T>(`#${id}`)!;
  }

  private handleInput(): void {
    this.error = '';
  }

  private handleToggle(event: Event): void {
    this.includeScreenshot = (event.target as HTMLInputElement).checked;
  }

  private handleSubmit(event: Event): void {
    event.preventDefault();
    if (this.state.phase === 'sending' || this.state.phase === 'sent') return;
    const subject = this.field<HTMLInputElement>('subject').value.trim();
    if (!subject) {
      this.error = helpStrings(this.language).subjectRequired;
      this.field<HTMLInputElement>('subject').focus();
      return;
    }
    const detail: FixpointHelpSubmitDetail = {
      subject,
      description: this.field<HTMLTextAreaElement>('description').value,
      includeScreenshot: this.includeScreenshot && this.screenshot !== undefined,
    };
    this.dispatchEvent(new CustomEvent('fixpoint-help-submit', { detail, bubbles: true, composed: true }));
  }

  private handleCancel(): void {
    this.dispatchEvent(new CustomEvent('fixpoint-help-cancel', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fixpoint-help-form': FixpointHelpForm;
  }
  interface HTMLElementEventMap {
    'fixpoint-help-submit': CustomEvent<FixpointHelpSubmitDetail>;
    'fixpoint-help-cancel': CustomEvent<void>;
  }
}
