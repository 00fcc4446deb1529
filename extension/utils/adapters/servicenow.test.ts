// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import html from './__fixtures__/servicenow.html?raw';
import { settle, showPage } from './__fixtures__/load';
import { serviceNowAdapter } from './servicenow';

const url = 'https://acme.service-now.com/incident.do?sys_id=a83820b58f723300e7e16c7827bdeed2';
const adapter = serviceNowAdapter();
let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('ServiceNow classic adapter', () => {
  it('matches classic form URLs on service-now.com only', () => {
    expect(adapter.matches(url)).toBe(true);
    expect(adapter.matches('https://acme.service-now.com/now/nav/ui/classic/params/target/incident.do')).toBe(true);
    expect(adapter.matches('https://acme.service-now.com/now/sow/record/incident/a838')).toBe(false);
    expect(adapter.matches('https://evil.example.com/incident.do')).toBe(false);
    expect(serviceNowAdapter({ patterns: ['https://itsm.acme.internal/*'] }).matches('https://itsm.acme.internal/incident.do')).toBe(true);
  });

  it('reads the configuration item, caller, number and the journal box that is shown', () => {
    const doc = showPage(html, url);
    const found = adapter.find(doc);
    expect(found).toMatchObject({ device: 'LT-ABEL-0042', user: 'Abel Tuter', ticketId: 'INC0010023' });
    // Work notes is hidden until its checkbox is ticked (and the field's own textarea always is): comments show.
    expect(found.commentBox?.id).toBe('activity-stream-comments-textarea');
    doc.querySelector('.ng-hide')!.classList.remove('ng-hide');
    doc.querySelector('[ng-show="!isWorkNotes"]')!.classList.add('ng-hide');
    expect(adapter.find(doc).commentBox?.id).toBe('activity-stream-work_notes-textarea');
  });

  it('reads nothing from a page that is not a form', () => {
    const doc = showPage('<html><body><h1>Welcome</h1></body></html>', url);
    expect(adapter.find(doc)).toEqual({});
  });

  it('reports a configuration item picked after load', async () => {
    const doc = showPage(html, url);
    const onChange = vi.fn();
    stop = adapter.observe(doc, onChange);
    await settle();
    expect(onChange).toHaveBeenCalledTimes(1);
    const field = doc.getElementById('sys_display.incident.cmdb_ci') as HTMLInputElement;
    field.value = 'PC-FIN-0107';
    field.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(onChange.mock.lastCall?.[0]).toMatchObject({ device: 'PC-FIN-0107', ticketId: 'INC0010023' });
  });

  it('reads the form rendered late inside the Next Experience frame', async () => {
    const shell = '<html><head><title>ServiceNow</title></head><body><macroponent-f51912f4c700201072b211d4d8c26010></macroponent-f51912f4c700201072b211d4d8c26010></body></html>';
    const doc = showPage(shell, 'https://acme.service-now.com/now/nav/ui/classic/params/target/incident.do');
    const onChange = vi.fn();
    stop = adapter.observe(doc, onChange);
    await settle();
    expect(onChange.mock.lastCall?.[0].device).toBeUndefined();
    // The shell attaches its shadow root and the classic form frame after the content script started.
    const host = doc.querySelector('macroponent-f51912f4c700201072b211d4d8c26010')!;
    const frame = doc.createElement('iframe');
    frame.id = 'gsft_main';
    frame.setAttribute('srcdoc', html.replace(/<script>.*?<\/script>/s, ''));
    host.attachShadow({ mode: 'open' }).appendChild(frame);
    // Shadow content is invisible to the document's observer; the shell's title update is the light-DOM change that
    // makes the watcher look at the host again (as the real shell does when a record opens).
    doc.title = 'INC0010023 | Incident | ServiceNow';
    await vi.waitFor(async () => {
      await settle();
      expect(onChange.mock.lastCall?.[0]).toMatchObject({ device: 'LT-ABEL-0042', ticketId: 'INC0010023' });
    });
  });
});
