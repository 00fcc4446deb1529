// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import html from './__fixtures__/servicenow-workspace.html?raw';
import { attachDeclarativeShadowRoots, settle, showPage } from './__fixtures__/load';
import { deepQuery } from './dom';
import { serviceNowWorkspaceAdapter } from './servicenow-workspace';

const url = 'https://acme.service-now.com/now/sow/record/incident/a83820b58f723300e7e16c7827bdeed2';
const adapter = serviceNowWorkspaceAdapter();
let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('ServiceNow workspace adapter', () => {
  it('matches workspace record routes', () => {
    expect(adapter.matches(url)).toBe(true);
    expect(adapter.matches('https://acme.service-now.com/now/workspace/agent/record/incident/a838')).toBe(true);
    expect(adapter.matches('https://acme.service-now.com/incident.do?sys_id=1')).toBe(false);
  });

  it('reads fields through nested open shadow roots', () => {
    const doc = showPage(html, url);
    const found = adapter.find(doc);
    expect(found).toMatchObject({ device: 'LT-ABEL-0042', user: 'Abel Tuter', ticketId: 'INC0010023' });
    expect(found.commentBox?.tagName).toBe('TEXTAREA');
    expect(found.commentBox?.getAttribute('aria-label')).toBe('Work notes');
  });

  it('follows in-workspace navigation to another record', async () => {
    const doc = showPage(html, url);
    const onChange = vi.fn();
    stop = adapter.observe(doc, onChange);
    await settle();
    expect(onChange.mock.lastCall?.[0].device).toBe('LT-ABEL-0042');
    // The workspace swaps the record page inside a shadow root when the agent opens another tab.
    const screen = deepQuery(doc, 'sn-canvas-screen')!;
    const next = html
      .replace(/INC0010023/g, 'INC0010024')
      .replace('LT-ABEL-0042', 'PC-FIN-0107')
      .replace('Abel Tuter', 'Maria Gomez');
    const parsed = new DOMParser().parseFromString(next, 'text/html');
    attachDeclarativeShadowRoots(parsed);
    const page = document.adoptNode(deepQuery(parsed, 'sn-record-page')!);
    history.pushState({}, '', '/now/sow/record/incident/b1');
    screen.shadowRoot!.replaceChildren(page);
    await settle();
    expect(onChange.mock.lastCall?.[0]).toMatchObject({ device: 'PC-FIN-0107', user: 'Maria Gomez', ticketId: 'INC0010024' });
  });
});
