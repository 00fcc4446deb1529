// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import html from './__fixtures__/zendesk.html?raw';
import { settle, showPage } from './__fixtures__/load';
import { zendeskAdapter } from './zendesk';

const url = 'https://acme.zendesk.com/agent/tickets/4711';
let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('Zendesk adapter', () => {
  const adapter = zendeskAdapter();

  it('matches agent ticket pages', () => {
    expect(adapter.matches(url)).toBe(true);
    expect(adapter.matches('https://acme.zendesk.com/agent/dashboard')).toBe(false);
    expect(adapter.matches('https://zendesk.com.example.org/agent/tickets/1')).toBe(false);
  });

  it('reads the device field by label, the requester, the ticket and the composer', () => {
    const found = adapter.find(showPage(html, url));
    expect(found).toMatchObject({ device: 'PC-FIN-0107', user: 'Maria Gomez', ticketId: '#4711' });
    expect(found.commentBox?.getAttribute('data-test-id')).toBe('omnicomposer-rich-text-ckeditor');
  });

  it('uses configured labels', () => {
    const doc = showPage(html.replace('>Device name<', '>Ordinateur<'), url);
    expect(adapter.find(doc).device).toBeUndefined();
    expect(zendeskAdapter({ deviceFieldLabels: ['Ordinateur'] }).find(doc).device).toBe('PC-FIN-0107');
  });

  it('follows a device field edited by the agent and a switch to another ticket tab', async () => {
    const doc = showPage(html, url);
    const onChange = vi.fn();
    stop = adapter.observe(doc, onChange);
    await settle();
    const input = doc.getElementById('ticket-field-360001234567') as HTMLInputElement;
    input.value = 'LT-ABEL-0042';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(onChange.mock.lastCall?.[0]).toMatchObject({ device: 'LT-ABEL-0042', ticketId: '#4711' });
    history.pushState({}, '', '/agent/tickets/4712');
    doc.querySelector('[data-test-id="ticket-system-field-requester-select-value"]')!.textContent = 'Abel Tuter';
    await settle();
    expect(onChange.mock.lastCall?.[0]).toMatchObject({ user: 'Abel Tuter', ticketId: '#4712' });
    expect(onChange).toHaveBeenCalledTimes(3);
  });
});
