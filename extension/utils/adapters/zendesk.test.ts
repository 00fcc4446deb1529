// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import html from './__fixtures__/zendesk.html?raw';
import { settle, showPage } from './__fixtures__/load';
import { zendeskAdapter } from './zendesk';

const url = 'https://acme.zendesk.com/agent/tickets/4711';
let stop: (() => void) | undefined;
afterEach(() => stop?.());

const workspaces = (doc: Document) => Array.from(doc.querySelectorAll<HTMLElement>('div.workspace'));
const tabs = (doc: Document) => Array.from(doc.querySelectorAll<HTMLElement>('[data-test-id="header-tab"]'));

/** Shows the ticket at `index` the way the workspace does: styles and aria-selected flip, nothing is added or removed. */
function switchTab(doc: Document, index: number) {
  workspaces(doc).forEach((ws, i) => (ws.style.display = i === index ? '' : 'none'));
  tabs(doc).forEach((tab, i) => tab.setAttribute('aria-selected', String(i === index)));
}

describe('Zendesk adapter', () => {
  const adapter = zendeskAdapter();

  it('matches agent ticket pages', () => {
    expect(adapter.matches(url)).toBe(true);
    expect(adapter.matches('https://acme.zendesk.com/agent/dashboard')).toBe(false);
    expect(adapter.matches('https://zendesk.com.example.org/agent/tickets/1')).toBe(false);
  });

  it('reads the shown ticket, not the background tickets mounted before it, and the requester without avatar or e-mail', () => {
    const doc = showPage(html, url);
    const found = adapter.find(doc);
    expect(found).toEqual({ device: 'PC-FIN-0107', user: 'Maria Gomez', ticketId: '#4711', commentBox: expect.anything() });
    expect(found.commentBox?.closest('div.workspace')).toBe(workspaces(doc)[2]);
  });

  it('uses configured labels', () => {
    const doc = showPage(html.replaceAll('>Device name<', '>Ordinateur<'), url);
    expect(adapter.find(doc).device).toBeUndefined();
    expect(zendeskAdapter({ deviceFieldLabels: ['Ordinateur'] }).find(doc).device).toBe('PC-FIN-0107');
  });

  it('reads nothing rather than mixing tickets when the URL and the shown tab disagree or no single tab is shown', () => {
    const doc = showPage(html, url);
    history.pushState({}, '', '/agent/tickets/4702');
    expect(adapter.find(doc)).toEqual({});
    history.pushState({}, '', '/agent/tickets/4711');
    workspaces(doc)[0]!.style.display = '';
    expect(adapter.find(doc)).toEqual({});
    workspaces(doc).forEach((ws) => (ws.style.display = 'none'));
    expect(adapter.find(doc)).toEqual({});
    workspaces(doc)[2]!.style.display = '';
    workspaces(doc)[2]!.setAttribute('aria-hidden', 'true');
    expect(adapter.find(doc)).toEqual({});
  });

  it('follows a device field edited by the agent and a switch to a background tab', async () => {
    const doc = showPage(html, url);
    const onChange = vi.fn();
    stop = adapter.observe(doc, onChange);
    await settle();
    const input = doc.getElementById('ticket-field-360001234567-4711') as HTMLInputElement;
    input.value = 'LT-ABEL-0042';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(onChange.mock.lastCall?.[0]).toMatchObject({ device: 'LT-ABEL-0042', ticketId: '#4711' });
    history.pushState({}, '', '/agent/tickets/4702');
    switchTab(doc, 0);
    await settle();
    const after = onChange.mock.lastCall?.[0];
    expect(after).toMatchObject({ device: 'PC-HR-0031', user: 'Hana Sato', ticketId: '#4702' });
    expect(after.commentBox.closest('div.workspace')).toBe(workspaces(doc)[0]);
  });
});
