// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import html from './__fixtures__/servicenow-workspace.html?raw';
import { settle, showPage } from './__fixtures__/load';
import { serviceNowWorkspaceAdapter } from './servicenow-workspace';
import { deepQueryAll } from './visibility';

const url = 'https://acme.service-now.com/now/sow/record/incident/a83820b58f723300e7e16c7827bdeed2';
const adapter = serviceNowWorkspaceAdapter();
let stop: (() => void) | undefined;
afterEach(() => stop?.());

const screens = (doc: Document) => deepQueryAll(doc, 'sn-canvas-screen') as HTMLElement[];
/** What the workspace does on a tab click: the screens' display flips; no node is added or removed. */
const showScreen = (doc: Document, index: number) => screens(doc).forEach((s, i) => (s.style.display = i === index ? '' : 'none'));

describe('ServiceNow workspace adapter', () => {
  it('matches workspace record routes', () => {
    expect(adapter.matches(url)).toBe(true);
    expect(adapter.matches('https://acme.service-now.com/now/workspace/agent/record/incident/a838')).toBe(true);
    expect(adapter.matches('https://acme.service-now.com/incident.do?sys_id=1')).toBe(false);
  });

  it('reads the shown record through nested shadow roots, not the background tabs mounted before it', () => {
    const doc = showPage(html, url);
    const found = adapter.find(doc);
    expect(found).toMatchObject({ device: 'LT-ABEL-0042', user: 'Abel Tuter', ticketId: 'INC0010023' });
    // The visible work notes box of the shown record, not the hidden comments box next to it.
    expect(found.commentBox?.getAttribute('aria-label')).toBe('Work notes');
    const host = (found.commentBox!.getRootNode() as ShadowRoot).host;
    let screen: Node = host;
    while (!(screen instanceof HTMLElement && screen.tagName === 'SN-CANVAS-SCREEN')) screen = (screen.getRootNode() as ShadowRoot).host;
    expect(screen).toBe(screens(doc)[2]);
  });

  it('reads nothing when no single screen is shown', () => {
    const doc = showPage(html, url);
    screens(doc)[0]!.style.display = '';
    expect(adapter.find(doc)).toEqual({});
    screens(doc).forEach((s) => (s.style.display = 'none'));
    expect(adapter.find(doc)).toEqual({});
  });

  it('follows a switch to a background tab from the style change alone', async () => {
    const doc = showPage(html, url);
    const onChange = vi.fn();
    stop = adapter.observe(doc, onChange);
    await settle();
    expect(onChange.mock.lastCall?.[0].device).toBe('LT-ABEL-0042');
    showScreen(doc, 0);
    await settle();
    expect(onChange.mock.lastCall?.[0]).toMatchObject({ device: 'PC-HR-0031', user: 'Hana Sato', ticketId: 'INC0010019' });
    showScreen(doc, 1);
    await settle();
    expect(onChange.mock.lastCall?.[0]).toMatchObject({ device: 'MAC-00A1', user: 'Maria Gomez', ticketId: 'INC0010021' });
  });
});
