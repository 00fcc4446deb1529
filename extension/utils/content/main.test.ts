// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import html from '../adapters/__fixtures__/jira.html?raw';
import { settle, showPage } from '../adapters/__fixtures__/load';
import type { ContentRequest } from '../messages';
import { sampleAction, sampleDevice } from '@fixpoint/launcher/testing/samples';
import { hostTagName, startLauncher } from './main';
import type { RuntimeApi } from './messaging';

const site = { kind: 'builtin', id: 'jira', patterns: ['https://*.atlassian.net/*'], deviceFieldLabels: [] };

function fakeRuntime(answers: Partial<Record<ContentRequest['type'], unknown>> = {}) {
  const sent: ContentRequest[] = [];
  const runtime = {
    sendMessage: vi.fn(async (message: ContentRequest) => {
      sent.push(message);
      const defaults: Record<string, unknown> = { hello: { site, signedIn: true }, page: null, searchDevices: [sampleDevice()], listActions: [sampleAction()] };
      const data = message.type in answers ? answers[message.type] : defaults[message.type];
      return data instanceof Error ? { ok: false, error: { code: 'forbidden', message: data.message } } : { ok: true, data };
    }),
    connect: vi.fn(),
  };
  return { runtime: runtime as unknown as RuntimeApi, sent };
}

let stop: (() => void) | undefined;
afterEach(() => stop?.());
const shadow = () => document.querySelector(hostTagName)?.shadowRoot ?? null;

describe('content script', () => {
  it('reports the page, shows the dock in a shadow root and opens the launcher on the ticket device', async () => {
    showPage(html, 'https://acme.atlassian.net/browse/ITSM-42');
    const { runtime, sent } = fakeRuntime();
    stop = await startLauncher(document, runtime);
    await settle();
    expect(sent).toContainEqual({ type: 'page', adapter: 'jira', facts: { device: 'LT-ABEL-0042', user: 'Abel Tuter', ticketId: 'ITSM-42' } });
    const toggle = shadow()!.querySelector<HTMLButtonElement>('.fp-dock-toggle')!;
    expect(toggle.textContent).toBe('Fixpoint · LT-ABEL-0042');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(shadow()!.querySelector('style')?.textContent).toContain('.fp-launcher');
    await act(() => toggle.click());
    await act(() => settle());
    expect(sent).toContainEqual({ type: 'searchDevices', query: 'LT-ABEL-0042' });
    expect(shadow()!.querySelector('[aria-label="Device LT-ABEL-0042"]')).not.toBeNull();
    expect(shadow()!.textContent).toContain('Restart VPN client');
    // The page's own DOM is untouched apart from the host element.
    expect(document.querySelectorAll('.fp-launcher')).toHaveLength(0);
  });

  it('hides the dock on pages that are not tickets', async () => {
    showPage(html, 'https://acme.atlassian.net/browse/ITSM-42');
    const { runtime } = fakeRuntime();
    stop = await startLauncher(document, runtime);
    await settle();
    expect(document.querySelector(hostTagName)).not.toBeNull();
    history.pushState({}, '', '/jira/your-work');
    window.dispatchEvent(new PopStateEvent('popstate'));
    await settle();
    expect(document.querySelector(hostTagName)).toBeNull();
  });

  it('offers sign-in when the extension has no token', async () => {
    showPage(html, 'https://acme.atlassian.net/browse/ITSM-42');
    const { runtime, sent } = fakeRuntime({ hello: { site, signedIn: false } });
    stop = await startLauncher(document, runtime);
    await settle();
    await act(() => shadow()!.querySelector<HTMLButtonElement>('.fp-dock-toggle')!.click());
    const button = Array.from(shadow()!.querySelectorAll('button')).find((b) => b.textContent === 'Open sign-in')!;
    await act(() => button.click());
    expect(sent.at(-1)).toEqual({ type: 'openOptions' });
  });

  it('stays invisible when the background refuses or is gone', async () => {
    showPage(html, 'https://acme.atlassian.net/browse/ITSM-42');
    const refused = fakeRuntime({ hello: new Error('This page is not one of the configured sites') });
    stop = await startLauncher(document, refused.runtime);
    await settle();
    expect(document.querySelector(hostTagName)).toBeNull();
    const gone = { sendMessage: vi.fn(async () => { throw new Error('Extension context invalidated.'); }), connect: vi.fn() };
    const stop2 = await startLauncher(document, gone as unknown as RuntimeApi);
    await settle();
    expect(document.querySelector(hostTagName)).toBeNull();
    stop2();
  });
});
