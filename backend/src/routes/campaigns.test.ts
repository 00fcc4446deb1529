import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../testing/actions';
import { sampleCampaign } from '../testing/campaigns';
import { createTestBackend, type TestBackend } from '../testing/harness';

describe('campaigns: CRUD, versions, lifecycle and preview', () => {
  let t: TestBackend;
  let author: Record<string, string>;
  beforeAll(async () => {
    t = await createTestBackend();
    author = await t.as('author', 'author@test.local');
  });
  afterAll(() => t.close());

  const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.call(method, `/api/v1/campaigns${path}`, { headers: { ...author, ...headers }, body });

  it('creates a draft with version 1, defaults, warnings and an audit entry', async () => {
    const res = await api('POST', '', sampleCampaign());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ slug: 'laptop-survey', name: 'Laptop survey', status: 'draft', latestVersion: 1, publishedVersion: null, publishedAt: null });
    expect(res.body.current).toMatchObject({ version: 1, createdBy: 'user:author@test.local', expirySec: 604800, mandatory: false });
    expect(res.body.warnings).toEqual([expect.stringContaining('no fr translation')]);
    const [entry] = await auditEntries(t, 'campaign.create');
    expect(entry).toMatchObject({ actor: 'user:author@test.local', target: 'campaign:laptop-survey', details: { version: 1 } });
    expect((await api('POST', '', sampleCampaign())).status).toBe(409);
  });

  it('gets by id or slug with an ETag and lists with filters', async () => {
    const bySlug = await t.app.request('/api/v1/campaigns/laptop-survey', { headers: author });
    expect(bySlug.headers.get('etag')).toBe('"1"');
    const body: any = await bySlug.json();
    expect((await api('GET', `/${body.id}`)).body.id).toBe(body.id);
    expect((await api('GET', `/${String(body.id).toUpperCase()}`)).body.id).toBe(body.id);
    await api('POST', '', sampleCampaign({ slug: 'other', name: 'Another one' }));
    const list = await api('GET', '?q=laptop');
    expect(list.body).toMatchObject({ total: 1, next: null, items: [{ slug: 'laptop-survey' }] });
    expect((await api('GET', '?status=draft&limit=1')).body).toMatchObject({ total: 2, next: 1, items: [{ slug: 'other' }] });
    expect((await api('GET', '?q=%25')).body.total).toBe(0);
    expect((await api('GET', '?status=bogus')).status).toBe(400);
    expect((await api('GET', '/nope')).status).toBe(404);
    expect((await api('GET', `/${encodeURIComponent("x'; drop table campaigns; --")}`)).status).toBe(400);
  });

  it('adds versions on edit, checks If-Match and the slug, and skips identical content', async () => {
    const res = await api('PUT', '/laptop-survey', { ...sampleCampaign({ name: 'Laptop survey 2' }), slug: undefined }, { 'if-match': '"1"' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ latestVersion: 2, name: 'Laptop survey 2', current: { version: 2 } });
    const same = await api('PUT', '/laptop-survey', sampleCampaign({ name: 'Laptop survey 2' }));
    expect(same.body.latestVersion).toBe(2);
    expect((await api('PUT', '/laptop-survey', sampleCampaign({ name: 'x' }), { 'if-match': '1' })).status).toBe(409);
    expect((await api('PUT', '/laptop-survey', sampleCampaign({ name: 'x' }), { 'if-match': 'abc' })).status).toBe(400);
    expect((await api('PUT', '/laptop-survey', sampleCampaign({ slug: 'renamed' }))).status).toBe(400);
    const versions = await api('GET', '/laptop-survey/versions');
    expect(versions.body.items.map((v: any) => v.version)).toEqual([2, 1]);
    expect((await api('GET', '/laptop-survey/versions/1')).body.name).toBe('Laptop survey');
    expect((await api('GET', '/laptop-survey/versions/9')).status).toBe(404);
    expect((await api('GET', '/laptop-survey/versions/0')).status).toBe(400);
    expect(await auditEntries(t, 'campaign.update')).toHaveLength(1);
  });

  it('publishes, edits without changing what is published, republishes, retires and brings back', async () => {
    expect((await api('POST', '/laptop-survey/republish')).status).toBe(409);
    const published = await api('POST', '/laptop-survey/publish');
    expect(published.body).toMatchObject({ status: 'published', publishedVersion: 2 });
    expect(published.body.publishedAt).not.toBeNull();
    expect((await api('POST', '/laptop-survey/publish')).status).toBe(409);
    expect((await api('POST', '/laptop-survey/republish')).body.error.message).toMatch(/already published at its latest version/);

    const edited = await api('PUT', '/laptop-survey', sampleCampaign({ name: 'Laptop survey 3' }));
    expect(edited.body).toMatchObject({ status: 'published', latestVersion: 3, publishedVersion: 2 });
    expect((await api('POST', '/laptop-survey/republish')).body).toMatchObject({ status: 'published', publishedVersion: 3 });

    expect((await api('POST', '/laptop-survey/retire')).body).toMatchObject({ status: 'retired', publishedVersion: 3 });
    expect((await api('POST', '/laptop-survey/retire')).status).toBe(409);
    expect((await api('DELETE', '/laptop-survey')).status).toBe(409);
    expect((await api('POST', '/laptop-survey/republish')).body).toMatchObject({ status: 'published', retiredAt: null });
    const actions = ['campaign.publish', 'campaign.republish', 'campaign.retire'];
    for (const action of actions) expect((await auditEntries(t, action)).length, action).toBeGreaterThan(0);
  });

  it('deletes a draft only', async () => {
    expect((await api('DELETE', '/other')).status).toBe(204);
    expect((await api('GET', '/other')).status).toBe(404);
    expect((await api('DELETE', '/other')).status).toBe(404);
    expect(await auditEntries(t, 'campaign.delete')).toHaveLength(1);
  });

  it('previews a stored version in a language, with sanitized markdown', async () => {
    const fr = await api('GET', '/laptop-survey/preview?lang=fr&user=Ana');
    expect(fr.status).toBe(200);
    expect(fr.body).toMatchObject({ language: 'fr', languages: ['en', 'fr'], branding: { title: 'Service informatique' } });
    expect(fr.body.questions[0].html).toBe('<p>Bonjour <strong>Ana</strong>.</p>');
    const v1 = await api('GET', '/laptop-survey/preview?version=1');
    expect(v1.body).toMatchObject({ name: 'Laptop survey', language: 'en' });
    expect(v1.body.questions[6].html).toBe('<p>Rate the restart by {{deadline}}</p>');
    expect((await api('GET', '/laptop-survey/preview?lang=<script>')).status).toBe(400);
  });

  it('previews an unsaved definition and renders hostile markdown inert', async () => {
    const definition = sampleCampaign({
      finalMessage: { en: '<script>alert(1)</script> [x](javascript:alert(1)) ![i](https://x.test/i.png) {{device}}' },
    });
    const res = await api('POST', '/preview', { definition, parameters: { device: '<img src=x onerror=alert(1)>' }, user: 'Ana' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.finalHtml).toBe(
      '<p>&#60;script&#62;alert(1)&#60;/script&#62; [x](javascript:alert(1)) ![i](https://x.test/i.png) &#60;img src=x onerror=alert(1)&#62;</p>',
    );
    expect((await api('POST', '/preview', { definition: { ...definition, questions: [] } })).status).toBe(400);
  });
});
