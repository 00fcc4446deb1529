import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, type TestBackend } from './testing/harness';

describe('app basics', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await createTestBackend();
  });
  afterAll(() => t.close());

  it('reports health with version and database kind', async () => {
    const res = await t.call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: 'pglite' });
  });

  it('serves an OpenAPI 3.1 document and a reference page', async () => {
    const doc = await t.call('GET', '/api/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    const page = await t.app.request('/api/docs');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Fixpoint API');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.call('GET', '/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
