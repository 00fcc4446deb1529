// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import type { TrayHelpResult } from '@fixpoint/protocol';
import { serveHelpPage, type HelpPage, type HelpPageOptions } from './help-page-server';

const pages: HelpPage[] = [];
afterEach(() => pages.splice(0).forEach((p) => p.close()));

const shot = { mediaType: 'image/jpeg' as const, data: '/9j/4AAQ' };

async function open(overrides: Partial<HelpPageOptions> = {}) {
  const submitted: Parameters<HelpPageOptions['submit']>[0][] = [];
  const page = await serveHelpPage({
    language: 'en',
    screenshot: { ok: true, screenshot: shot },
    script: 'console.log(1)',
    submit: async (input) => (submitted.push(input), { type: 'help_result', localId: '00000000-0000-4000-8000-000000000000', id: '11111111-1111-4111-8111-111111111111' } satisfies TrayHelpResult),
    ...overrides,
  });
  pages.push(page);
  const post = (path: string, body: unknown) => fetch(`${page.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { page, submitted, post };
}

describe('help page server', () => {
  it('serves the form once, with the preview, under the same strict CSP as the prompt', async () => {
    const { page } = await open();
    const res = await fetch(page.url);
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'sha256-/);
    const html = await res.text();
    expect(html).toContain('<title>Get help</title>');
    expect(html).toContain('"kind":"help"');
    expect(html).toContain(`data:image/jpeg;base64,${shot.data}`);
    expect((await fetch(page.url)).status).toBe(404);
  });

  it('attaches the screenshot only when ticked, answers with the id, and takes a request once', async () => {
    const { submitted, post } = await open();
    const first = await post('submit', { subject: 'VPN', description: '', includeScreenshot: false });
    expect(await first.json()).toEqual({ id: '11111111-1111-4111-8111-111111111111' });
    expect((await post('submit', { subject: 'VPN', description: '', includeScreenshot: true })).status).toBe(409);
    expect(submitted).toEqual([{ subject: 'VPN', description: '' }]);
    const again = await open();
    await again.post('submit', { subject: 'VPN', description: 'x', includeScreenshot: true });
    expect(again.submitted).toEqual([{ subject: 'VPN', description: 'x', screenshot: shot }]);
  });

  it('refuses a malformed request and passes the agent’s error on; close ends the window', async () => {
    const failing = await open({ submit: async () => ({ type: 'help_result', localId: '00000000-0000-4000-8000-000000000000', error: { code: 'unavailable', message: 'offline' } }) });
    const bad = await failing.post('submit', { subject: ' ', description: '', includeScreenshot: false });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'validation_failed', message: 'give a subject' } });
    const refused = await failing.post('submit', { subject: 'Mail', description: '', includeScreenshot: false });
    expect(refused.status).toBe(502);
    expect(await refused.json()).toEqual({ error: { code: 'unavailable', message: 'offline' } });
    let closed = false;
    void failing.page.closed.then(() => (closed = true));
    expect((await failing.post('close', {})).status).toBe(204);
    await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(true);
  });
});
