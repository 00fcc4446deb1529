// @vitest-environment node
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { serveToolPage, type ToolPage } from './tool-page-server';

let page: ToolPage | null = null;
afterEach(() => page?.close());

describe('the tool page server', () => {
  it('serves the page once, streams updates (the last of each kind to a late window) and takes a run', async () => {
    const runs: string[] = [];
    page = await serveToolPage({ data: { kind: 'self-service', language: 'en' }, title: 'Fix a problem', script: 'console.log(1)', onRun: (a) => runs.push(a) });
    const first = await fetch(page.url);
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(html).toContain('<title>Fix a problem</title>');
    expect(html).toContain('"kind":"self-service"');
    expect(first.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);
    expect((await fetch(page.url)).status).toBe(404);

    page.push({ kind: 'fixes', fixes: [] });
    const controller = new AbortController();
    const events = await fetch(`${page.url}events`, { signal: controller.signal });
    const reader = events.body!.getReader();
    const firstEvent = new TextDecoder().decode((await reader.read()).value);
    expect(firstEvent).toBe('data: {"kind":"fixes","fixes":[]}\n\n');
    page.push({ kind: 'run', run: { action: 'clear-temp', state: 'running' } });
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('"state":"running"');
    controller.abort();

    const post = (body: unknown, type = 'application/json') => fetch(`${page!.url}run`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });
    expect((await post({ action: 'clear-temp' })).status).toBe(204);
    expect((await post({ action: '../etc' })).status).toBe(400);
    expect((await post({ action: 'clear-temp' }, 'text/plain')).status).toBe(415);
    expect(runs).toEqual(['clear-temp']);
  });

  it('answers nothing for another host name or path', async () => {
    page = await serveToolPage({ data: { kind: 'activity', language: 'fr' }, title: 'Activité', script: '' });
    const url = new URL(page.url);
    expect((await fetch(`http://127.0.0.1:${url.port}/t/other/`)).status).toBe(404);
    // DNS rebinding: the right address and path under another host name
    const rebound = await new Promise<number>((resolve, reject) =>
      httpRequest({ host: '127.0.0.1', port: url.port, path: url.pathname, headers: { host: `evil.example:${url.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .on('error', reject)
        .end(),
    );
    expect(rebound).toBe(404);
    expect((await fetch(page.url)).status).toBe(200);
  });
});
