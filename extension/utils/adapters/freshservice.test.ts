// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import html from './__fixtures__/freshservice.html?raw';
import { settle, showPage } from './__fixtures__/load';
import { freshserviceAdapter } from './freshservice';

const url = 'https://acme.freshservice.com/a/tickets/318';
let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('Freshservice adapter', () => {
  const adapter = freshserviceAdapter();

  it('matches ticket pages', () => {
    expect(adapter.matches(url)).toBe(true);
    expect(adapter.matches('https://acme.freshservice.com/helpdesk/tickets/318')).toBe(true);
    expect(adapter.matches('https://acme.freshservice.com/a/dashboard/default')).toBe(false);
  });

  it('reads the associated asset, requester, ticket id and note editor', () => {
    const found = adapter.find(showPage(html, url));
    expect(found).toMatchObject({ device: 'LT-JANE-0019', user: 'Jane Doe', ticketId: 'INC-318' });
    expect(found.commentBox?.getAttribute('aria-label')).toBe('Add a note');
  });

  it('reports an asset associated after the page loaded', async () => {
    const doc = showPage(html.replace(/<li class="asset-item">[\s\S]*?<\/li>/, ''), url);
    const onChange = vi.fn();
    stop = adapter.observe(doc, onChange);
    await settle();
    expect(onChange.mock.lastCall?.[0]).toMatchObject({ user: 'Jane Doe', ticketId: 'INC-318' });
    expect(onChange.mock.lastCall?.[0].device).toBeUndefined();
    doc.querySelector('.asset-list')!.insertAdjacentHTML('beforeend', '<li class="asset-item"><a class="asset-name" href="/a/cmdb/items/18">MBP-JANE-02</a></li>');
    await settle();
    expect(onChange.mock.lastCall?.[0].device).toBe('MBP-JANE-02');
  });
});
