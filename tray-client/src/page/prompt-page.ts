/**
 * @module The script of the prompt page (runs in the browser): reads the request from the page's data block, shows
 * it with `fixpoint-prompt`, posts the answer back to the tray. Keyboard first: the first control gets the focus.
 * Tray windows that are not prompts run `tool-page.ts` instead.
 */
import '../components/define';
import type { FixpointPrompt } from '../components';
import { startHelp } from './help-page';
import { requestDataId, type HelpPageData, type PageData } from './request-data';
import { toolDataId, type ToolPageData } from './tool-data';
import { startToolPage } from './tool-page';

/** The first focusable element inside the prompt (through shadow roots). */
function firstFocusable(root: Element | ShadowRoot): HTMLElement | null {
  for (const el of root.querySelectorAll<HTMLElement>('*')) {
    if (el.shadowRoot) {
      const inner = firstFocusable(el.shadowRoot);
      if (inner) return inner;
    }
    if (el.matches('[tabindex="0"], button, input, textarea, select')) return el;
  }
  return null;
}

async function start(doc: Document): Promise<void> {
  const data = JSON.parse(doc.getElementById(requestDataId)?.textContent ?? 'null') as PageData | HelpPageData;
  if ('kind' in data) return startHelp(doc, data);
  const prompt = doc.createElement('fixpoint-prompt') as FixpointPrompt;
  prompt.campaign = data.campaign;
  prompt.parameters = data.parameters;
  prompt.user = data.user;
  prompt.language = data.language;
  prompt.requestId = data.requestId;
  if (data.deadline) prompt.deadline = data.deadline;
  prompt.addEventListener('fixpoint-answer', (event) => {
    void fetch('answer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event.detail) });
  });
  doc.body.append(prompt);
  await prompt.updateComplete;
  // nested questions render a moment later
  await new Promise((r) => setTimeout(r, 50));
  firstFocusable(prompt.shadowRoot ?? prompt)?.focus();
}

// the same script serves the tray's other windows (self-service, activity): their page carries a tool data block
const tool = document.getElementById(toolDataId);
if (tool) void startToolPage(document, JSON.parse(tool.textContent ?? '{}') as ToolPageData);
else void start(document);
