// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { settle, showPage } from '../adapters/__fixtures__/load';
import type { ContentRequest } from '../messages';
import { sampleAction, sampleDevice } from '@fixpoint/launcher/testing/samples';
import { createShadowHost, hostTagName, startLauncher } from './main';
import type { RuntimeApi } from './messaging';

const url = 'https://helpdesk.acme.example/tickets/HD-1';
const site = { kind: 'generic', site: { id: 'acme', label: 'Acme', pattern: 'https://helpdesk.acme.example/tickets/*', deviceSelector: '.machine' } };

function fakeRuntime() {
  const sent: ContentRequest[] = [];
  const answers: Record<string, unknown> = { hello: { site, signedIn: true }, page: null, searchDevices: [sampleDevice()], listActions: [sampleAction()] };
  const runtime = {
    sendMessage: vi.fn(async (message: ContentRequest) => {
      sent.push(message);
      return { ok: true, data: answers[message.type] };
    }),
    connect: vi.fn(),
  };
  return { runtime: runtime as unknown as RuntimeApi, sent };
}

let stop: (() => void) | undefined;
afterEach(() => stop?.());
const shadow = () => document.querySelector(hostTagName)?.shadowRoot ?? null;

describe('launcher host', () => {
  it('hangs off the document element with inline !important styles that fix its direction, stacking and hit-testing', () => {
    showPage('<html dir="rtl"><body><div id="app" style="transform: scale(.5)"></div></body></html>', url);
    const { host } = createShadowHost(document);
    expect(host.parentNode).toBe(document.documentElement);
    const style = host.getAttribute('style')!;
    for (const rule of ['all: initial !important', 'direction: ltr !important', 'unicode-bidi: isolate !important', 'z-index: 2147483647 !important', 'pointer-events: auto !important', 'transform: none !important'])
      expect(style).toContain(rule);
    const css = shadow()!.querySelector('style')!.textContent!;
    expect(css).toMatch(/:host \{ all: initial; direction: ltr; unicode-bidi: isolate; \}/);
    expect(css).toMatch(/\.fp-dock \{[^}]*direction: ltr;[^}]*\}/);
    host.remove();
  });

  it('does not look up page text that is not a host name, and says why in the panel', async () => {
    showPage('<html><body><dl><dt>Machine</dt><dd class="machine">&lt;img src=x onerror=alert(1)&gt;</dd></dl></body></html>', url);
    const { runtime, sent } = fakeRuntime();
    stop = await startLauncher(document, runtime);
    await settle();
    const toggle = shadow()!.querySelector<HTMLButtonElement>('.fp-dock-toggle')!;
    expect(toggle.textContent).toBe('Fixpoint · <img src=x onerror=alert(1)>');
    expect(shadow()!.querySelector('img')).toBeNull();
    await act(() => toggle.click());
    await act(() => settle());
    expect(sent.some((m) => m.type === 'searchDevices')).toBe(false);
    const notice = shadow()!.querySelector('.fp-dock-notice')!;
    expect(notice.getAttribute('role')).toBe('status');
    expect(notice.textContent).toMatch(/is not a device name \(a host name has only letters, digits, hyphens and dots, not "<"\), so it was not looked up/);
    expect(shadow()!.querySelector<HTMLInputElement>('input[type=search]')!.value).toBe('');
  });

  it('looks up a host name read from the page', async () => {
    showPage('<html><body><span class="machine">LT-ABEL-0042</span></body></html>', url);
    const { runtime, sent } = fakeRuntime();
    stop = await startLauncher(document, runtime);
    await settle();
    await act(() => shadow()!.querySelector<HTMLButtonElement>('.fp-dock-toggle')!.click());
    await act(() => settle());
    expect(sent).toContainEqual({ type: 'searchDevices', query: 'LT-ABEL-0042' });
    expect(shadow()!.querySelector('.fp-dock-notice')).toBeNull();
  });
});
