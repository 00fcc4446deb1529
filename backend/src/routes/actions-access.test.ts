import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, createRunnerRole, sampleAction } from '../testing/actions';
import { createTestBackend, type TestBackend } from '../testing/harness';

describe('actions permissions', () => {
  let t: TestBackend;
  let author: Record<string, string>;
  beforeAll(async () => {
    t = await createTestBackend();
    author = await t.as('author');
    for (const slug of ['allowed-one', 'hidden-one', 'hidden-two'])
      expect((await t.call('POST', '/api/v1/actions', { headers: author, body: sampleAction({ slug, name: slug }) })).status).toBe(201);
    await createRunnerRole(t, 'runner', ['allowed-one']);
  });
  afterAll(() => t.close());

  const requests: [string, string, unknown?][] = [
    ['GET', '/api/v1/actions'],
    ['POST', '/api/v1/actions', sampleAction({ slug: 'new-one' })],
    ['POST', '/api/v1/actions/import', { kind: 'fixpoint/action', apiVersion: 1, ...sampleAction({ slug: 'new-one' }) }],
    ['GET', '/api/v1/actions/allowed-one'],
    ['PUT', '/api/v1/actions/allowed-one', sampleAction({ slug: 'allowed-one', name: 'changed' })],
    ['DELETE', '/api/v1/actions/allowed-one'],
    ['GET', '/api/v1/actions/allowed-one/versions'],
    ['GET', '/api/v1/actions/allowed-one/versions/1'],
    ['GET', '/api/v1/actions/allowed-one/export'],
  ];

  it('answers 401 to every route without a token or with a bad one', async () => {
    for (const [method, path, body] of requests) {
      expect((await t.call(method, path, { body })).status, `${method} ${path}`).toBe(401);
      const bad = await t.call(method, path, { body, headers: { authorization: 'Bearer fp_pat_not-a-real-token' } });
      expect(bad.status, `${method} ${path}`).toBe(401);
    }
  });

  it('lets viewers and support agents read but not change', async () => {
    for (const role of ['viewer', 'support', 'runner']) {
      const headers = await t.as(role);
      for (const [method, path, body] of requests.filter(([m]) => m !== 'GET')) {
        const res = await t.call(method, path, { headers, body });
        expect(res.status, `${role} ${method} ${path}`).toBe(403);
        expect(res.body.error.message).toContain('actions:edit');
      }
    }
    const listed = await t.call('GET', '/api/v1/actions', { headers: await t.as('viewer') });
    expect(listed.body.total).toBe(3);
    expect((await t.call('GET', '/api/v1/actions/allowed-one', { headers: author })).body.latestVersion).toBe(1);
    expect(await auditEntries(t, 'action.update')).toHaveLength(0);
  });

  it('shows a principal that runs but does not edit only the actions it may run', async () => {
    const runner = await t.as('runner');
    const listed = await t.call('GET', '/api/v1/actions', { headers: runner });
    expect(listed.body).toMatchObject({ total: 1, items: [{ slug: 'allowed-one' }] });
    expect((await t.call('GET', '/api/v1/actions?q=hidden', { headers: runner })).body.total).toBe(0);
    expect((await t.call('GET', '/api/v1/actions/allowed-one', { headers: runner })).status).toBe(200);
    for (const path of ['/hidden-one', '/hidden-one/versions', '/hidden-one/versions/1', '/hidden-one/export'])
      expect((await t.call('GET', `/api/v1/actions${path}`, { headers: runner })).status, path).toBe(404);
    // The built-in support role runs every action launchable by hand, and all three allow the manual trigger.
    expect((await t.call('GET', '/api/v1/actions', { headers: await t.as('support') })).body.total).toBe(3);
  });

  it('shows authors and admins the whole library', async () => {
    for (const role of [['author'], ['admin'], ['support', 'author']]) {
      const res = await t.call('GET', '/api/v1/actions', { headers: await t.as(role) });
      expect(res.body.total, role.join('+')).toBe(3);
    }
  });

  it('lets an admin do what an author does', async () => {
    const admin = await t.as('admin', 'root@test.local');
    const res = await t.call('POST', '/api/v1/actions', { headers: admin, body: sampleAction({ slug: 'by-admin' }) });
    expect(res.status).toBe(201);
    expect(res.body.current.createdBy).toBe('user:root@test.local');
  });

  it('documents every action route with its permission in OpenAPI', async () => {
    const doc = await t.call('GET', '/api/openapi.json');
    expect(doc.body.paths['/api/v1/actions'].post['x-fixpoint-permission']).toBe('actions:edit');
    expect(doc.body.paths['/api/v1/actions/{id}'].get['x-fixpoint-permission']).toBe('authenticated');
    const put = doc.body.paths['/api/v1/actions/{id}'].put;
    expect(put.parameters.some((p: { name: string; in: string }) => p.name === 'If-Match' && p.in === 'header')).toBe(true);
    expect(Object.keys(doc.body.paths['/api/v1/actions/import'].post.requestBody.content)).toEqual(['application/json', 'application/yaml']);
  });
});
