// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import html from './__fixtures__/generic.html?raw';
import { settle, showPage } from './__fixtures__/load';
import { genericAdapter } from './generic';

const url = 'https://helpdesk.acme.example/tickets/HD-20931';
const pattern = 'https://helpdesk.acme.example/tickets/*';
let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('generic adapter', () => {
  it('matches its URL pattern only', () => {
    const adapter = genericAdapter({ id: 'acme', label: 'Acme', pattern });
    expect(adapter.id).toBe('generic:acme');
    expect(adapter.matches(url)).toBe(true);
    expect(adapter.matches('https://helpdesk.acme.example/admin')).toBe(false);
    expect(adapter.matches('http://helpdesk.acme.example/tickets/1')).toBe(false);
  });

  it('reads fields by CSS selector', () => {
    const adapter = genericAdapter({
      id: 'acme', label: 'Acme', pattern,
      deviceSelector: '.machine', userSelector: '.opened-by', ticketSelector: '.ticket-ref', commentSelector: '#reply-body',
    });
    const found = adapter.find(showPage(html, url));
    expect(found).toMatchObject({ device: 'WS-PAR-3381', user: 'Lina Park', ticketId: 'HD-20931' });
    expect(found.commentBox?.id).toBe('reply-body');
  });

  it('reads selectors, labels and the comment box only from shown elements, not from a hidden background ticket', () => {
    const page = `<main>
      <section hidden><span class="machine">WS-OLD-0001</span><label for="old">Device</label><input id="old" value="WS-OLD-0002"><textarea id="old-reply"></textarea></section>
      <section><span class="machine">WS-NEW-0003</span><label for="new">Device</label><input id="new" value="WS-NEW-0004"><textarea id="new-reply"></textarea></section>
    </main>`;
    const bySelector = genericAdapter({ id: 'acme', label: 'Acme', pattern, deviceSelector: '.machine', commentSelector: 'textarea' });
    const found = bySelector.find(showPage(page, url));
    expect(found.device).toBe('WS-NEW-0003');
    expect(found.commentBox?.id).toBe('new-reply');
    expect(genericAdapter({ id: 'acme', label: 'Acme', pattern }).find(showPage(page, url)).device).toBe('WS-NEW-0004');
  });

  it('reads fields by regular expression over the page, or over a selected element', () => {
    const doc = showPage(html, url);
    const byRegex = genericAdapter({ id: 'a', label: 'A', pattern, deviceRegex: String.raw`host (\S+)`, ticketRegex: String.raw`\b(HD-\d+)\b` });
    expect(byRegex.find(doc)).toMatchObject({ device: 'WS-PAR-3381', ticketId: 'HD-20931' });
    const narrowed = genericAdapter({ id: 'b', label: 'B', pattern, deviceSelector: '.description', deviceRegex: String.raw`\b(WS-[A-Z]+-\d+)\b` });
    expect(narrowed.find(doc).device).toBe('WS-PAR-3381');
  });

  it('reads nothing, and never throws, with a bad selector or expression', () => {
    const doc = showPage(html, url);
    const broken = genericAdapter({ id: 'c', label: 'C', pattern, deviceSelector: '[[[', userRegex: '(unclosed', commentSelector: ':::' });
    expect(broken.find(doc)).toEqual({});
  });

  it('reports a device that appears after an in-page navigation', async () => {
    const doc = showPage(html.replace('<span class="machine" title="Workstation">WS-PAR-3381</span>', ''), url);
    const adapter = genericAdapter({ id: 'acme', label: 'Acme', pattern, deviceSelector: '.machine', ticketSelector: '.ticket-ref' });
    const onChange = vi.fn();
    stop = adapter.observe(doc, onChange);
    await settle();
    expect(onChange.mock.lastCall?.[0]).toEqual({ ticketId: 'HD-20931' });
    history.pushState({}, '', '/tickets/HD-20932');
    doc.querySelector('.ticket-ref')!.textContent = 'HD-20932';
    doc.querySelector('.ticket-meta dd:last-of-type')!.innerHTML = '<span class="machine">LT-PAR-0007</span>';
    await settle();
    expect(onChange.mock.lastCall?.[0]).toEqual({ ticketId: 'HD-20932', device: 'LT-PAR-0007' });
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it('runs a page-wide expression over the text a person sees: cells apart, no style or script text', () => {
    const doc = showPage(`<html><head><title>Ticket</title></head><body><style>td::after { content: "Device name EVIL" }</style>
      <script>const label = "Device name EVIL-2";</script>
      <table><tr><td>Device name</td><td>LT-ABEL-0042</td></tr><tr><td>Requested by</td><td>Ana Lopez</td></tr></table></body></html>`, url);
    const adapter = genericAdapter({ id: 'a', label: 'A', pattern, deviceRegex: String.raw`Device name\s+(\S+)`, userRegex: String.raw`Requested by\s+([^\t\n]+)` });
    expect(adapter.find(doc)).toEqual({ device: 'LT-ABEL-0042', user: 'Ana Lopez' });
  });

  it('finds the device and the user by their labels when no selector or expression is set', () => {
    const labelled = (label: string) => `<html><body><table><tr><th>${label}</th><td>pc-lyon-7</td></tr><tr><th>Requester:</th><td>Lina Park</td></tr></table></body></html>`;
    const adapter = genericAdapter({ id: 'a', label: 'A', pattern });
    for (const label of ['Device hostname', 'computer name:', 'ASSET TAG *', 'Configuration item', 'CI', 'Machine'])
      expect(adapter.find(showPage(labelled(label), url)), label).toEqual({ device: 'pc-lyon-7', user: 'Lina Park' });
    const custom = genericAdapter({ id: 'b', label: 'B', pattern, deviceLabels: ['Poste'] });
    expect(custom.find(showPage(labelled('Poste'), url)).device).toBe('pc-lyon-7');
    expect(custom.find(showPage(labelled('Device'), url)).device).toBeUndefined();
  });
});
