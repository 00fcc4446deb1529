/**
 * @module The script of a tray window other than a prompt (runs in the browser): mounts `fixpoint-self-service` or
 * `fixpoint-activity`, applies what the tray streams (`events`), and posts the user's requests (`run`, `refresh`).
 * Keyboard first: the first control gets the focus.
 */
import type { FixpointActivity, FixpointSelfService } from '../components';
import type { ToolPageData, ToolUpdate } from './tool-data';

const post = (path: string, body: unknown) =>
  void fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export async function startToolPage(doc: Document, data: ToolPageData): Promise<void> {
  const el =
    data.kind === 'self-service'
      ? Object.assign(doc.createElement('fixpoint-self-service') as FixpointSelfService, { language: data.language, selected: data.selected ?? '' })
      : Object.assign(doc.createElement('fixpoint-activity') as FixpointActivity, { language: data.language });
  el.addEventListener('fixpoint-run', (event) => post('run', event.detail));
  el.addEventListener('fixpoint-refresh', () => post('refresh', {}));
  doc.body.append(el);
  const events = new EventSource('events');
  let focused = false;
  events.onmessage = (message: MessageEvent<string>) => {
    const update = JSON.parse(message.data) as ToolUpdate;
    if (update.kind === 'fixes' && 'fixes' in el) el.fixes = update.fixes;
    else if (update.kind === 'run' && 'run' in el) el.run = update.run;
    else if (update.kind === 'entries' && 'entries' in el) el.entries = update.entries;
    void el.updateComplete.then(() => {
      if (focused) return;
      const first = el.shadowRoot?.querySelector<HTMLElement>('#run, ul button, [tabindex="0"], button');
      if (first) {
        focused = true;
        first.focus();
      }
    });
  };
}
