// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import html from './__fixtures__/jira.html?raw';
import { settle, showPage } from './__fixtures__/load';
import { adaptersFor, observeSite, pickAdapter } from './index';

let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('site selection', () => {
  it('builds the adapters of a configured site, most specific first', () => {
    const sn = adaptersFor({ kind: 'builtin', id: 'servicenow', patterns: ['https://*.service-now.com/*'], deviceFieldLabels: [] });
    expect(sn.map((a) => a.id)).toEqual(['servicenow-workspace', 'servicenow']);
    expect(pickAdapter(sn, 'https://acme.service-now.com/now/sow/record/incident/1')?.id).toBe('servicenow-workspace');
    expect(pickAdapter(sn, 'https://acme.service-now.com/incident.do?sys_id=1')?.id).toBe('servicenow');
    const generic = adaptersFor({ kind: 'generic', site: { id: 'acme', label: 'Acme', pattern: 'https://hd.acme.example/*' } });
    expect(generic.map((a) => a.id)).toEqual(['generic:acme']);
  });

  it('reports leaving a ticket for a page no adapter understands, and coming back', async () => {
    const doc = showPage(html, 'https://acme.atlassian.net/browse/ITSM-42');
    const adapters = adaptersFor({ kind: 'builtin', id: 'jira', patterns: ['https://*.atlassian.net/*'], deviceFieldLabels: [] });
    const onChange = vi.fn();
    stop = observeSite(doc, adapters, onChange);
    await settle();
    expect(onChange.mock.lastCall?.[0]?.id).toBe('jira');
    expect(onChange.mock.lastCall?.[1]).toMatchObject({ device: 'LT-ABEL-0042' });
    history.pushState({}, '', '/wiki/home');
    window.dispatchEvent(new PopStateEvent('popstate'));
    await settle();
    expect(onChange.mock.lastCall).toEqual([undefined, {}]);
    history.pushState({}, '', '/browse/ITSM-42');
    window.dispatchEvent(new PopStateEvent('popstate'));
    await settle();
    expect(onChange.mock.lastCall?.[0]?.id).toBe('jira');
  });
});
