import type { DirectiveResult } from 'lit/directive.js';
import { unsafeHTML, type UnsafeHTMLDirective } from 'lit/directives/unsafe-html.js';

/**
 * Inserts campaign text as markup. The only input is `html` from `renderCampaign`/`renderMarkdown`, which escapes
 * everything outside its small tag set and never lets a parameter value add markup; that sanitizing is why
 * `unsafeHTML` is acceptable here, and nowhere else in these components.
 */
export function sanitizedMarkup(html: string): DirectiveResult<typeof UnsafeHTMLDirective> {
  return unsafeHTML(html);
}
