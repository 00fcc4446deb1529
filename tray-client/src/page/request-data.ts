/** @module What the page server puts in the prompt page for its script: a JSON block with this id and shape. */
import type { PromptDeadline } from '@fixpoint/protocol';

/** The id of the `<script type="application/json">` block that carries the request. */
export const requestDataId = 'fixpoint-request';

export interface PageData {
  requestId: string;
  campaign: unknown;
  parameters: Record<string, string>;
  user: string;
  language: string;
  deadline?: PromptDeadline;
}

/** The "Get help" page: the form's language and the screenshot preview (a data: URL), or why there is none. */
export interface HelpPageData {
  kind: 'help';
  language: string;
  screenshot?: string;
  screenshotUnavailable?: string;
}
