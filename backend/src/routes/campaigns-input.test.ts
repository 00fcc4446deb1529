import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../testing/actions';
import { sampleCampaign } from '../testing/campaigns';
import { createTestBackend, type TestBackend } from '../testing/harness';

describe('campaigns: bad input and permissions', () => {
  let t: TestBackend;
  let author: Record<string, string>;
  beforeAll(async () => {
    t = await createTestBackend();
    author = await t.as('author');
  });
  afterAll(() => t.close());

  const create = (body: unknown, headers = author) => t.call('POST', '/api/v1/campaigns', { headers, body });
  const info = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'info', text: { en: id }, ...extra });

  const malformed: [string, unknown, RegExp][] = [
    ['no questions', sampleCampaign({ questions: [] }), /at least one question/],
    ['unknown field', { ...sampleCampaign(), script: 'rm -rf /' }, /unrecognized key/i],
    ['unknown question type', sampleCampaign({ questions: [{ id: 'a', type: 'essay', text: { en: 'x' } } as any] }), /questions\.0/],
    ['duplicate ids', sampleCampaign({ questions: [info('a'), info('a')] as any }), /used twice/],
    ['branch to nowhere', sampleCampaign({ questions: [info('a', { next: 'zz' })] as any }), /does not exist/],
    ['branch backwards', sampleCampaign({ questions: [info('a'), info('b', { next: 'a' })] as any }), /may only go forward/],
    ['mandatory with decline', sampleCampaign({ mandatory: true, allowPostpone: false }), /cannot be declined/],
    ['undeclared placeholder', sampleCampaign({ finalMessage: { en: '{{secret}}' } }), /not a declared parameter/],
    ['no default-language text', sampleCampaign({ finalMessage: { fr: 'Merci' } }), /default language/],
    ['bad language tag', sampleCampaign({ finalMessage: { en: 'x', 'x y': 'z' } }), /language tag/],
    ['javascript logo', sampleCampaign({ branding: { title: { en: 'x' }, logoUrl: 'javascript:alert(1)' } }), /https URL/],
    ['bad colour', sampleCampaign({ branding: { title: { en: 'x' }, accentColor: 'red;background:url(x)' } }), /#rrggbb/],
    ['text answer too long', sampleCampaign({ questions: [{ id: 'a', type: 'text', text: { en: 'x' }, maxLength: 5000 }] as any }), /questions\.0\.maxLength/],
    ['too many choices', sampleCampaign({ questions: [{ id: 'a', type: 'single', text: { en: 'x' }, choices: Array.from({ length: 21 }, (_, i) => ({ id: `c${i}`, label: { en: 'c' } })) }] as any }), /20 choices/],
    ['SQL in slug', sampleCampaign({ slug: "x'; drop table campaigns; --" }), /slug/],
    ['wrong types', { ...sampleCampaign(), expirySec: '3600', mandatory: 'yes' }, /expected/],
    ['expiry too long', sampleCampaign({ expirySec: 365 * 24 * 3600 }), /30 days/],
    ['NUL in text', sampleCampaign({ finalMessage: { en: 'a\u0000b' } }), /NUL/],
  ];
  for (const [label, body, message] of malformed)
    it(`rejects a definition with ${label}`, async () => {
      const res = await create(body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(res.body.error)).toMatch(message);
    });

  it('wrote nothing for any rejected definition', async () => {
    expect((await t.call('GET', '/api/v1/campaigns', { headers: author })).body.total).toBe(0);
    expect(await auditEntries(t, 'campaign.create')).toEqual([]);
  });

  it('answers malformed JSON, wrong content types and huge bodies with 4xx', async () => {
    const send = (body: string, type = 'application/json') =>
      t.app.request('/api/v1/campaigns', { method: 'POST', headers: { ...author, 'content-type': type }, body });
    expect((await send('{"slug":')).status).toBe(400);
    expect((await send('slug=x', 'text/plain')).status).toBe(415);
    expect((await send(JSON.stringify({ ...sampleCampaign(), description: 'x'.repeat(2 * 1024 * 1024) }))).status).toBe(413);
  });

  it('stores hostile markdown as written and only ever renders it inert', async () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1)) **ok**';
    const res = await create(sampleCampaign({ slug: 'hostile', finalMessage: { en: hostile } }));
    expect(res.status).toBe(201);
    expect(res.body.current.finalMessage.en).toBe(hostile);
    const preview = await t.call('GET', '/api/v1/campaigns/hostile/preview', { headers: author });
    expect(preview.body.finalHtml).not.toMatch(/<(script|img)|href="javascript/i);
    expect(preview.body.finalHtml).toContain('<strong>ok</strong>');
  });

  it('needs campaigns:edit to change campaigns, and only a sign-in to read them', async () => {
    const support = await t.as('support');
    const viewer = await t.as('viewer');
    for (const headers of [support, viewer]) {
      expect((await create(sampleCampaign({ slug: 'nope' }), headers)).status).toBe(403);
      expect((await t.call('PUT', '/api/v1/campaigns/hostile', { headers, body: sampleCampaign({ slug: 'hostile' }) })).status).toBe(403);
      for (const verb of ['publish', 'republish', 'retire'])
        expect((await t.call('POST', `/api/v1/campaigns/hostile/${verb}`, { headers })).status).toBe(403);
      expect((await t.call('DELETE', '/api/v1/campaigns/hostile', { headers })).status).toBe(403);
      expect((await t.call('GET', '/api/v1/campaigns/hostile', { headers })).status).toBe(200);
      expect((await t.call('GET', '/api/v1/campaigns/hostile/preview', { headers })).status).toBe(200);
    }
    expect((await t.call('GET', '/api/v1/campaigns')).status).toBe(401);
    expect((await t.call('GET', '/api/v1/campaigns/hostile/requests', { headers: viewer })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/campaigns/hostile', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
  });
});
