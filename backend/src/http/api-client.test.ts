/** The protocol's typed client against the real app: the contracts it calls are the ones the server mounts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, api, createApiClient, type ApiClient } from '@fixpoint/protocol/api';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { seedAdmin } from '../testing/identity';

let t: TestBackend;
let client: ApiClient;
beforeAll(async () => {
  t = await createTestBackend();
  const headers = await seedAdmin(t);
  // validate: every answer must parse with the contract's response schema.
  client = createApiClient({ baseUrl: 'http://fixpoint.test', fetch: async (url, init) => t.app.request(String(url), init), headers: () => headers, validate: true });
});
afterAll(() => t.close());

describe('the typed client against the backend', () => {
  it('creates, reads, pages, updates and deletes through the contracts', async () => {
    const created = await client.call(api.users.create, {
      body: { email: 'round@trip.test', name: 'Round Trip', password: 'correct-horse-battery', roles: ['viewer'] },
    });
    expect(created).toMatchObject({ email: 'round@trip.test', roles: ['viewer'] });
    expect((await client.call(api.users.get, { params: { id: created.id } })).name).toBe('Round Trip');
    const firstPage = await client.call(api.users.list, { query: { limit: 1 } });
    expect(firstPage).toMatchObject({ items: [expect.any(Object)], next: 1 });
    const updated = await client.call(api.users.update, { params: { id: created.id }, body: { name: 'Renamed' } });
    expect(updated.name).toBe('Renamed');
    await expect(client.call(api.users.remove, { params: { id: created.id } })).resolves.toBeUndefined();
    const gone = await client.call(api.users.get, { params: { id: created.id } }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ApiError);
    expect(gone).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('sends query values the schemas coerce, and turns validation failures into typed errors', async () => {
    const actions = await client.call(api.actions.list, { query: { archived: false, q: '' } });
    expect(actions.items).toEqual(expect.any(Array));
    const bad = await client.call(api.roles.create, { body: { name: 'x', description: '', permissions: [], runnableActions: ['not a slug'] } }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((bad as ApiError).details).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^name|runnableActions/) })]));
  });

  it('answers a 401 without credentials', async () => {
    const anonymous = createApiClient({ baseUrl: 'http://fixpoint.test', fetch: async (url, init) => t.app.request(String(url), init) });
    await expect(anonymous.call(api.auth.me)).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
  });
});
