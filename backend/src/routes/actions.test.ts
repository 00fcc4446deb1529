import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getActionVersionForLaunch } from '../services/actions';
import { auditEntries, sampleAction } from '../testing/actions';
import { createTestBackend, type TestBackend } from '../testing/harness';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe.each(['pglite', 'postgres'] as const)('actions CRUD and versioning (%s)', (database) => {
  let t: TestBackend;
  let author: Record<string, string>;
  beforeAll(async () => {
    t = await createTestBackend({ database });
    author = await t.as('author', 'author@test.local');
  });
  afterAll(() => t.close());

  const create = (body: unknown) => t.call('POST', '/api/v1/actions', { headers: author, body });
  const put = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    t.call('PUT', `/api/v1/actions/${id}`, { headers: { ...author, ...headers }, body });

  it('creates version 1 with defaults, script hashes and an audit entry', async () => {
    const definition = sampleAction();
    const res = await create(definition);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: 'clear-dns-cache',
      name: 'Clear DNS cache',
      purpose: 'remediation',
      platforms: ['windows', 'linux'],
      latestVersion: 1,
      archived: false,
    });
    expect(res.body.current).toMatchObject({
      version: 1,
      actionId: res.body.id,
      runAs: 'system',
      timeoutSec: 300,
      triggers: ['manual', 'extension', 'api'],
      createdBy: 'user:author@test.local',
      scriptHashes: { windows: sha256(definition.scripts.windows!.source), linux: sha256(definition.scripts.linux!.source) },
    });
    const [entry] = await auditEntries(t, 'action.create');
    expect(entry).toMatchObject({ actor: 'user:author@test.local', target: 'action:clear-dns-cache', details: { version: 1 } });
  });

  it('refuses a second action with the same slug', async () => {
    const res = await create(sampleAction({ name: 'Other' }));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('clear-dns-cache already exists');
  });

  it("refuses the slugs of the API's own paths, which an action could not be read by", async () => {
    for (const slug of ['import', 'approvals']) {
      const res = await create(sampleAction({ slug, name: slug }));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('reserved');
    }
    const imported = await t.call('POST', '/api/v1/actions/import', { headers: author, body: { kind: 'fixpoint/action', apiVersion: 1, ...sampleAction({ slug: 'approvals' }) } });
    expect(imported.status).toBe(400);
    expect(imported.body.error.message).toContain('reserved');
  });

  it('gets an action by id or slug, with an ETag of its version', async () => {
    const bySlug = await t.app.request('/api/v1/actions/clear-dns-cache', { headers: author });
    expect(bySlug.status).toBe(200);
    expect(bySlug.headers.get('etag')).toBe('"1"');
    const body: any = await bySlug.json();
    const byId = await t.call('GET', `/api/v1/actions/${body.id}`, { headers: author });
    expect(byId.body).toEqual(body);
    const upper = await t.call('GET', `/api/v1/actions/${String(body.id).toUpperCase()}`, { headers: author });
    expect(upper.body.id).toBe(body.id);
  });

  it('answers 404 for unknown actions, versions and odd references', async () => {
    for (const ref of ['nope', '00000000-0000-0000-0000-000000000000', 'NOPE', 'a'.repeat(128)]) {
      const res = await t.call('GET', `/api/v1/actions/${ref}`, { headers: author });
      expect(res.status, ref).toBe(404);
    }
    for (const ref of ["x'; drop table actions; --", '%', 'a'.repeat(129), 'a\u0000b', 'ä']) {
      const res = await t.call('GET', `/api/v1/actions/${encodeURIComponent(ref)}`, { headers: author });
      expect(res.status, ref).toBe(400);
    }
    expect((await t.call('GET', '/api/v1/actions/clear-dns-cache/versions/99', { headers: author })).status).toBe(404);
    expect((await t.call('GET', '/api/v1/actions/clear-dns-cache/versions/0', { headers: author })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/actions/clear-dns-cache/versions/abc', { headers: author })).status).toBe(400);
  });

  it('adds a version on update and leaves the old one unchanged', async () => {
    const before = await t.call('GET', '/api/v1/actions/clear-dns-cache/versions/1', { headers: author });
    const res = await put('clear-dns-cache', sampleAction({ name: 'Flush DNS', timeoutSec: 60 }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Flush DNS', latestVersion: 2, current: { version: 2, timeoutSec: 60 } });
    expect(res.body.updatedAt >= res.body.createdAt).toBe(true);
    const after = await t.call('GET', '/api/v1/actions/clear-dns-cache/versions/1', { headers: author });
    expect(after.body).toEqual(before.body);
    expect(after.body).toMatchObject({ name: 'Clear DNS cache', timeoutSec: 300 });
    const [entry] = await auditEntries(t, 'action.update');
    expect(entry).toMatchObject({ target: 'action:clear-dns-cache', details: { version: 2, previousVersion: 1 } });
  });

  it('adds no version when the content is identical, and accepts a body without slug', async () => {
    const { slug: _slug, ...rest } = sampleAction({ name: 'Flush DNS', timeoutSec: 60 });
    const res = await put('clear-dns-cache', rest);
    expect(res.status).toBe(200);
    expect(res.body.latestVersion).toBe(2);
    expect(await auditEntries(t, 'action.update')).toHaveLength(1);
  });

  it('refuses to change the slug with a clear message', async () => {
    const res = await put('clear-dns-cache', sampleAction({ slug: 'renamed' }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/slug of an action cannot change/);
    expect((await t.call('GET', '/api/v1/actions/renamed', { headers: author })).status).toBe(404);
  });

  it('is optimistic-concurrency safe with If-Match', async () => {
    const stale = await put('clear-dns-cache', sampleAction({ name: 'Stale edit' }), { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'conflict', details: { latestVersion: 2 } });
    const fresh = await t.app.request('/api/v1/actions/clear-dns-cache', {
      method: 'PUT',
      headers: { ...author, 'content-type': 'application/json', 'if-match': 'W/"2"' },
      body: JSON.stringify(sampleAction({ name: 'Fresh edit' })),
    });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe('"3"');
    const bad = await put('clear-dns-cache', sampleAction(), { 'if-match': 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('If-Match');
  });

  it('serializes concurrent updates: each gets its own version number', async () => {
    const results = await Promise.all(
      [1, 2, 3].map((i) => put('clear-dns-cache', sampleAction({ name: `Parallel ${i}` }))),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body.latestVersion).sort()).toEqual([4, 5, 6]);
  });

  it('lists versions newest first, with paging and without scripts', async () => {
    const res = await t.call('GET', '/api/v1/actions/clear-dns-cache/versions?limit=2', { headers: author });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(6);
    expect(res.body.next).toBe(2);
    expect(res.body.items.map((v: { version: number }) => v.version)).toEqual([6, 5]);
    expect(res.body.items[0]).not.toHaveProperty('scripts');
    const last = await t.call('GET', '/api/v1/actions/clear-dns-cache/versions?limit=2&offset=4', { headers: author });
    expect(last.body).toMatchObject({ next: null, items: [{ version: 2 }, { version: 1, name: 'Clear DNS cache' }] });
  });

  it('lists, searches and filters the library', async () => {
    await create(sampleAction({ slug: 'collect-disk', name: 'Disk usage', purpose: 'data_collection', scripts: { macos: { source: 'df -k' } } }));
    await create(sampleAction({ slug: 'reset-100-percent', name: 'Reset 100%_ thing', scripts: { linux: { source: 'true' } } }));
    const all = await t.call('GET', '/api/v1/actions', { headers: author });
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((a: { slug: string }) => a.slug)).toEqual(['collect-disk', 'clear-dns-cache', 'reset-100-percent']);
    expect(all.body.items[0]).toMatchObject({ purpose: 'data_collection', platforms: ['macos'], description: 'Flushes the resolver cache.' });
    const search = async (query: string) =>
      (await t.call('GET', `/api/v1/actions?${query}`, { headers: author })).body.items.map((a: { slug: string }) => a.slug);
    expect(await search('q=DISK')).toEqual(['collect-disk']);
    expect(await search('q=dns-c')).toEqual(['clear-dns-cache']);
    expect(await search(`q=${encodeURIComponent('%_')}`)).toEqual(['reset-100-percent']);
    expect(await search(`q=${encodeURIComponent('%')}`)).toEqual(['reset-100-percent']);
    expect(await search(`q=${encodeURIComponent("' or 1=1 --")}`)).toEqual([]);
    expect(await search('purpose=data_collection')).toEqual(['collect-disk']);
    expect(await search('platform=linux')).toEqual(['clear-dns-cache', 'reset-100-percent']);
    expect(await search('platform=windows&purpose=remediation')).toEqual(['clear-dns-cache']);
    const paged = await t.call('GET', '/api/v1/actions?limit=2&offset=1', { headers: author });
    expect(paged.body).toMatchObject({ total: 3, next: null, items: [{ slug: 'clear-dns-cache' }, { slug: 'reset-100-percent' }] });
    expect((await t.call('GET', '/api/v1/actions?platform=beos', { headers: author })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/actions?limit=0', { headers: author })).status).toBe(400);
  });

  it('archives instead of deleting: hidden, not launchable, versions kept', async () => {
    const res = await t.call('DELETE', '/api/v1/actions/collect-disk', { headers: author });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: 'collect-disk', archived: true });
    const listed = await t.call('GET', '/api/v1/actions', { headers: author });
    expect(listed.body.items.map((a: { slug: string }) => a.slug)).not.toContain('collect-disk');
    const withArchived = await t.call('GET', '/api/v1/actions?archived=true', { headers: author });
    expect(withArchived.body.items.map((a: { slug: string }) => a.slug)).toContain('collect-disk');
    expect((await t.call('GET', '/api/v1/actions/collect-disk/versions/1', { headers: author })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/actions/collect-disk', { headers: author })).body.archived).toBe(true);
    const edit = await put('collect-disk', sampleAction({ slug: 'collect-disk', purpose: 'data_collection' }));
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toContain('archived');
    await expect(getActionVersionForLaunch(t.ctx, 'collect-disk')).rejects.toMatchObject({ status: 409 });
    expect((await t.call('DELETE', '/api/v1/actions/collect-disk', { headers: author })).status).toBe(200);
    expect(await auditEntries(t, 'action.archive')).toHaveLength(1);
    expect((await t.call('DELETE', '/api/v1/actions/nope', { headers: author })).status).toBe(404);
  });

  it('resolves the version a launch runs', async () => {
    const latest = await getActionVersionForLaunch(t.ctx, 'clear-dns-cache');
    expect(latest.action.slug).toBe('clear-dns-cache');
    expect(latest.version.version).toBe(latest.action.latestVersion);
    const pinned = await getActionVersionForLaunch(t.ctx, latest.action.id, 1);
    expect(pinned.version.definition.name).toBe('Clear DNS cache');
    await expect(getActionVersionForLaunch(t.ctx, 'nope')).rejects.toMatchObject({ status: 404 });
    await expect(getActionVersionForLaunch(t.ctx, 'clear-dns-cache', 42)).rejects.toMatchObject({ status: 404 });
  });
});
