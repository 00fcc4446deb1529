/**
 * @module The "Get help" page's script (part of the one page bundle): shows `fixpoint-help-form`, posts what the user
 * sends to the tray's page server and shows the outcome; Cancel (or Close after sending) ends the window.
 */
import type { FixpointHelpForm } from '../components';
import type { HelpPageData } from './request-data';

export async function startHelp(doc: Document, data: HelpPageData): Promise<void> {
  const form = doc.createElement('fixpoint-help-form') as FixpointHelpForm;
  form.language = data.language;
  if (data.screenshot) form.screenshot = data.screenshot;
  form.screenshotUnavailable = data.screenshotUnavailable ?? '';
  form.addEventListener('fixpoint-help-submit', (event) => {
    form.state = { phase: 'sending' };
    void fetch('submit', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event.detail) })
      .then(async (res) => {
        const body = (await res.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
        form.state = body.id ? { phase: 'sent', id: body.id } : { phase: 'failed', message: body.error?.message ?? `HTTP ${res.status}` };
      })
      .catch((error: unknown) => (form.state = { phase: 'failed', message: String(error) }));
  });
  form.addEventListener('fixpoint-help-cancel', () => void fetch('close', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
  doc.body.append(form);
  await form.updateComplete;
  form.shadowRoot?.querySelector<HTMLElement>('#subject')?.focus();
}
