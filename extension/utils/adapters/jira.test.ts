// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import html from './__fixtures__/jira.html?raw';
import { settle, showPage } from './__fixtures__/load';
import { jiraAdapter } from './jira';

const url = 'https://acme.atlassian.net/browse/ITSM-42';
let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('Jira Service Management adapter', () => {
  const adapter = jiraAdapter();

  it('matches issue and portal pages on atlassian.net', () => {
    expect(adapter.matches(url)).toBe(true);
    expect(adapter.matches('https://acme.atlassian.net/jira/servicedesk/projects/ITSM/queues/custom/1?selectedIssue=ITSM-42')).toBe(true);
    expect(adapter.matches('https://acme.atlassian.net/servicedesk/customer/portal/1/ITSM-42')).toBe(true);
    expect(adapter.matches('https://acme.atlassian.net/jira/servicedesk/projects/ITSM/issues/ITSM-42')).toBe(true);
    expect(adapter.matches('https://acme.atlassian.net/jira/your-work')).toBe(false);
    expect(adapter.matches('https://acme.atlassian.net.evil.com/browse/ITSM-42')).toBe(false);
  });

  it('reads the device field by its label, the reporter, the key and the note editor', () => {
    const found = adapter.find(showPage(html, url));
    expect(found).toMatchObject({ device: 'LT-ABEL-0042', user: 'Abel Tuter', ticketId: 'ITSM-42' });
    expect(found.commentBox?.getAttribute('aria-label')).toBe('Add internal note');
  });

  it('uses the configured field label', () => {
    const doc = showPage(html.replace('<h2>Affected device</h2>', '<h2>Poste de travail</h2>').replace('<span>LT-ABEL-0042</span>', '<span>PC-LYON-7</span>'), url);
    expect(jiraAdapter().find(doc).device).toBe('LT-ABEL-0042'); // from the summary: the label is unknown
    expect(jiraAdapter({ deviceFieldLabels: ['Poste de travail'] }).find(doc).device).toBe('PC-LYON-7');
  });

  it('falls back to a device name in the summary, with a configurable pattern', () => {
    const withoutField = html.replace(/<div data-testid="issue.views.issue-base.context.customfield_10050">[\s\S]*?<\/div>\s*<\/div>/, '');
    const doc = showPage(withoutField.replace('Laptop LT-ABEL-0042', 'Laptop ACME-NB-311'), url);
    expect(jiraAdapter().find(doc).device).toBeUndefined();
    expect(jiraAdapter({ deviceRegex: String.raw`\b(ACME-[A-Z]{2}-\d+)\b` }).find(doc).device).toBe('ACME-NB-311');
  });

  it('takes the key from the queue URL', () => {
    const doc = showPage(html, 'https://acme.atlassian.net/jira/servicedesk/projects/ITSM/queues/custom/1?selectedIssue=ITSM-7');
    expect(adapter.find(doc).ticketId).toBe('ITSM-7');
  });

  it('follows navigation to another issue in the single-page app', async () => {
    const doc = showPage(html, url);
    const onChange = vi.fn();
    stop = adapter.observe(doc, onChange);
    await settle();
    expect(onChange).toHaveBeenCalledTimes(1);
    history.pushState({}, '', '/browse/ITSM-43');
    doc.querySelector('[data-testid="issue.views.field.single-line-text.read-view.customfield_10050"] span')!.textContent = 'PC-FIN-0107';
    await settle();
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(onChange.mock.lastCall?.[0]).toMatchObject({ device: 'PC-FIN-0107', ticketId: 'ITSM-43' });
  });

  it('reports a field that renders late', async () => {
    const doc = showPage('<html><body><div id="jira-frontend"><div class="skeleton"></div></div></body></html>', url);
    const onChange = vi.fn();
    stop = adapter.observe(doc, onChange);
    await settle();
    expect(onChange.mock.lastCall?.[0].device).toBeUndefined();
    doc.getElementById('jira-frontend')!.innerHTML = new DOMParser().parseFromString(html, 'text/html').getElementById('jira-frontend')!.innerHTML;
    await settle();
    expect(onChange.mock.lastCall?.[0]).toMatchObject({ device: 'LT-ABEL-0042', ticketId: 'ITSM-42' });
  });
});
