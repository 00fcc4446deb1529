// @vitest-environment node
import { createHash, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CampaignDefinition, renderCampaign, type PromptRequest } from '@fixpoint/protocol';
import { sampleCampaign } from '@fixpoint/protocol/testing';
import { servePromptPage, type PromptPage } from './page-server';

const campaign = CampaignDefinition.parse(sampleCampaign());
const request: PromptRequest = {
  requestId: randomUUID(),
  campaignId: randomUUID(),
  campaignVersion: 1,
  campaign,
  rendered: renderCampaign(campaign, { parameters: { deadline: 'Friday' } }),
  parameters: { deadline: 'Friday' },
  urgency: 'normal',
  source: 'server',
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
};

/** A raw request, so the Host header can be anything. */
function call(url: string, init: { method?: string; host?: string; type?: string; body?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: u.port, path: u.pathname, method: init.method ?? 'GET', headers: { host: init.host ?? u.host, ...(init.type ? { 'content-type': init.type } : {}) } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

let page: PromptPage | null = null;
afterEach(() => page?.close());

describe('prompt page server', () => {
  it('serves the page once, in one response, under its one-time path only, with a strict CSP', async () => {
    page = await servePromptPage({ request: { ...request, parameters: { deadline: '</script><script>alert(1)</script>' } }, user: 'ana', script: 'console.log(1)' });
    expect(page.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/p\/[A-Za-z0-9_-]{32}\/$/);
    const first = await call(page.url);
    expect(first.status).toBe(200);
    expect(first.body).toContain('<title>IT department</title>');
    // the script and the request are inline: nothing more to fetch before the prompt renders
    expect(first.body).toContain('<script type="module">console.log(1)</script>');
    const data = /<script type="application\/json" id="fixpoint-request">(.*?)<\/script>/.exec(first.body)?.[1];
    expect(JSON.parse(data!)).toMatchObject({ requestId: request.requestId, user: 'ana', parameters: { deadline: '</script><script>alert(1)</script>' } });
    expect(data).not.toContain('<');
    // only that script may run: its hash, no 'self', no 'unsafe-inline'
    const hash = createHash('sha256').update('console.log(1)').digest('base64');
    expect(first.headers['content-security-policy']).toContain(`script-src 'sha256-${hash}';`);
    expect(first.headers['content-security-policy']).not.toMatch(/script-src[^;]*(self|unsafe)/);
    expect(page.loaded).toBe(true);
    expect((await call(page.url)).status).toBe(404);
    for (const gone of ['app.js', 'request.json']) expect((await call(`${page.url}${gone}`)).status).toBe(404);
    const other = page.url.replace(/\/p\/[^/]+\//, '/p/someone-elses-token-aaaaaaaaaaaaaa/');
    expect((await call(other)).status).toBe(404);
    expect((await call(page.url, { host: 'evil.example:80' })).status).toBe(404);
  });

  it('will not inline a script that would end its element early', async () => {
    await expect(servePromptPage({ request, user: 'ana', script: 'let s = "</script>"' })).rejects.toThrow(/cannot be inlined/);
  });

  it('accepts one well-formed answer for this request, then serves nothing', async () => {
    page = await servePromptPage({ request, user: 'ana', script: '' });
    const answer = { requestId: request.requestId, state: 'declined', answers: {}, freeText: {}, user: 'ana', language: 'en', respondedAt: new Date().toISOString() };
    const post = (body: string, type = 'application/json') => call(`${page!.url}answer`, { method: 'POST', type, body });
    expect((await post(JSON.stringify(answer), 'text/plain')).status).toBe(415);
    expect((await post('{not json')).status).toBe(400);
    expect((await post(JSON.stringify({ ...answer, requestId: randomUUID() }))).status).toBe(400);
    expect((await post(JSON.stringify({ ...answer, state: 'expired' }))).status).toBe(400);
    expect((await post(JSON.stringify({ ...answer, answers: { q: 'x'.repeat(2_000_000) } }))).status).toBe(413);
    expect((await post(JSON.stringify(answer))).status).toBe(204);
    await expect(page.answered).resolves.toMatchObject({ state: 'declined', requestId: request.requestId });
    expect((await post(JSON.stringify(answer))).status).toBe(404);
    expect((await call(page.url)).status).toBe(404);
  });
});
