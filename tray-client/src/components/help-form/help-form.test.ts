import { afterEach, describe, expect, it } from 'vitest';
import type { FixpointHelpSubmitDetail } from './help-form';
import { $, $$, mount, record, settle } from '../testing/fixture';

afterEach(() => document.body.replaceChildren());

const shot = 'data:image/jpeg;base64,/9j/4AAQ';
const type = (el: Element, id: string, value: string) => {
  const field = $(el, `#${id}`) as HTMLInputElement;
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
};

describe('fixpoint-help-form', () => {
  it('labels every field, and sends the screenshot only once the user ticked it', async () => {
    const el = await mount('fixpoint-help-form', { language: 'en', screenshot: shot });
    const sent = record<FixpointHelpSubmitDetail>(el, 'fixpoint-help-submit');
    for (const id of ['subject', 'description']) expect(el.shadowRoot!.querySelector(`label[for="${id}"]`)).not.toBeNull();
    expect(el.shadowRoot!.querySelector('img')).toBeNull();
    type(el, 'subject', '  VPN drops  ');
    type(el, 'description', 'Every hour.');
    $(el, 'button.send').click();
    ($(el, '#shot') as HTMLInputElement).click();
    await settle(el);
    expect($(el, 'img').getAttribute('src')).toBe(shot);
    $(el, 'button.send').click();
    expect(sent).toEqual([
      { subject: 'VPN drops', description: 'Every hour.', includeScreenshot: false },
      { subject: 'VPN drops', description: 'Every hour.', includeScreenshot: true },
    ]);
  });

  it('refuses a blank subject with an alert, and says why there is no screenshot', async () => {
    const el = await mount('fixpoint-help-form', { language: 'de', screenshotUnavailable: 'import is not installed' });
    const sent = record<FixpointHelpSubmitDetail>(el, 'fixpoint-help-submit');
    $(el, 'button.send').click();
    await settle(el);
    expect(sent).toEqual([]);
    expect($(el, '#error').textContent).toBe('Bitte geben Sie einen Betreff an.');
    expect($(el, '#subject').getAttribute('aria-invalid')).toBe('true');
    expect(el.shadowRoot!.activeElement).toBe($(el, '#subject'));
    expect($(el, '.no-shot').textContent).toBe('Kein Screenshot möglich: import is not installed');
    expect(el.shadowRoot!.querySelector('#shot')).toBeNull();
  });

  it('shows sending, then the reference or the failure, and offers Close once sent', async () => {
    const el = await mount('fixpoint-help-form', { language: 'fr' });
    el.state = { phase: 'sending' };
    await settle(el);
    expect($(el, '[role="status"]').textContent).toBe('Envoi…');
    expect(($(el, 'button.send') as HTMLButtonElement).disabled).toBe(true);
    el.state = { phase: 'failed', message: 'hors ligne' };
    await settle(el);
    expect($(el, '.failed').textContent).toBe('Votre demande n’a pas pu être envoyée : hors ligne');
    el.state = { phase: 'sent', id: '0123456789abcdef' };
    await settle(el);
    expect($(el, '[role="status"]').textContent).toContain('référence 01234567');
    const closes = record(el, 'fixpoint-help-cancel');
    expect($$(el, 'button').map((b) => b.textContent!.trim())).toEqual(['Fermer']);
    $(el, 'button.close').click();
    expect(closes).toHaveLength(1);
  });
});
