// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { attachDeclarativeShadowRoots } from './__fixtures__/load';
import { findValueByLabel, readValue } from './dom';
import { findFreshservice } from './freshservice';
import { readText } from './text';

function page(html: string): HTMLElement {
  document.body.innerHTML = html;
  attachDeclarativeShadowRoots(document.body);
  return document.body;
}

describe('readText', () => {
  it('separates table cells and blocks, so a pattern cannot run two cells together', () => {
    const body = page('<table><tr><td>Device name</td><td>WS-PAR-3381</td></tr><tr><th>User</th><td>Lina Park</td></tr></table><div>a</div><div>b</div>');
    const text = readText(body);
    expect(text).toMatch(/Device name\s+WS-PAR-3381\s+User\s+Lina Park/);
    expect(/Device name\s+(\S+)/.exec(text)?.[1]).toBe('WS-PAR-3381');
    expect(text).toMatch(/a\s+b/);
    expect(body.textContent).toContain('Device nameWS-PAR-3381'); // what a plain textContent reader saw
  });

  it('skips style, script, template, noscript and hidden text, and reads through open shadow roots and slots', () => {
    const body = page(`
      <style>.x { content: "Device name EVIL-1" }</style><script>var device = "EVIL-2";</script>
      <noscript>EVIL-3</noscript><template><p>EVIL-4</p></template><p hidden>EVIL-5</p>
      <x-field><template shadowrootmode="open"><style>:host { color: red }</style><b>Host</b> <slot></slot></template><i>LT-1</i></x-field>`);
    const text = readText(body);
    expect(text).not.toMatch(/EVIL|color: red/);
    expect(text.replace(/\s+/g, ' ').trim()).toBe('Host LT-1');
  });

  it('skips what computed styles hide when asked to', () => {
    const body = page('<p style="display:none">EVIL-6</p><p style="visibility:hidden">EVIL-7<span style="visibility:visible">shown</span></p><p>kept</p>');
    const text = readText(body, { computedStyle: true });
    expect(text).not.toMatch(/EVIL/);
    expect(text).toMatch(/shown\s*kept/);
  });

  it('reads nothing from a component that holds only its style sheet so far, then its value once rendered', () => {
    const body = page('<x-ci><template shadowrootmode="open"><style>:host { display: block; font: 13px sans-serif }</style></template></x-ci>');
    const field = body.querySelector('x-ci')!;
    expect(readValue(field)).toBeUndefined();
    field.shadowRoot!.append(Object.assign(document.createElement('span'), { textContent: 'LT-ABEL-0042' }));
    expect(readValue(field)).toBe('LT-ABEL-0042');
  });

  it("never reads the launcher's own panel as page text or as a labelled field", () => {
    page('<dl><dt>Requester</dt><dd>Ana</dd></dl>');
    const host = document.createElement('fixpoint-launcher');
    host.attachShadow({ mode: 'open' }).innerHTML = '<label for="q">Device</label><input id="q" value="typed-query">';
    document.documentElement.append(host);
    expect(readText(document)).not.toContain('Device');
    expect(findValueByLabel(document, ['Device'])).toBeUndefined();
    expect(findValueByLabel(document, ['Requester'])).toBe('Ana');
    host.remove();
  });

  it('keeps style text out of every adapter field, e.g. the Freshservice ticket number', () => {
    page('<span class="ticket-id"><style>.ticket-id { color: red }</style>#318</span>');
    expect(findFreshservice(document).ticketId).toBe('318');
  });
});
