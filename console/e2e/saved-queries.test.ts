/**
 * Saved queries in the console: an admin creates, renames, edits and deletes them, sees which roles each scopes, and
 * cannot delete one a role uses; a viewer reads them only. The executions screen says how long history is kept.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiSession, expectAccessible, screenshot, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';

let h: ConsoleHarness;
let admin: Awaited<ReturnType<typeof apiSession>>;
const viewer = { email: 'vic@example.com', password: 'viewer-password-1' };
const editor = { email: 'eda@example.com', password: 'editor-password-1' };

beforeAll(async () => {
  h = await startConsoleHarness({ FIXPOINT_RETENTION_DAYS: '45' });
  admin = await apiSession(h.url);
  const lyon = await admin('POST', '/api/v1/saved-queries', { name: 'Lyon', description: 'The Lyon office', query: 'devices | where tags contains "site:lyon"' });
  expect(lyon.status).toBe(201);
  const role = await admin('POST', '/api/v1/roles', { name: 'lyon-viewer', permissions: ['devices:read'], deviceScope: { all: false, queries: [lyon.body.id] } });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  expect((await admin('POST', '/api/v1/users', { email: viewer.email, name: 'Vic', password: viewer.password, roles: ['viewer'] })).status).toBe(201);
  expect((await admin('POST', '/api/v1/roles', { name: 'category-editor', permissions: ['devices:read', 'devices:edit'] })).status).toBe(201);
  expect((await admin('POST', '/api/v1/users', { email: editor.email, name: 'Eda', password: editor.password, roles: ['category-editor'] })).status).toBe(201);
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

describe('saved queries', () => {
  it('an admin creates, renames, edits and deletes a saved query, and sees which roles one scopes', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.goto('/devices');
    await page.getByRole('link', { name: 'Manage saved queries', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Saved queries' }).waitFor();
    const lyonRow = page.getByRole('row', { name: /^Lyon/ });
    await expect.poll(() => lyonRow.getByRole('link', { name: 'lyon-viewer', exact: true }).count()).toBe(1);

    await page.getByRole('button', { name: 'New saved query', exact: true }).click();
    const create = page.getByRole('form', { name: 'New saved query', exact: true });
    await create.getByLabel(/^Name/).fill('Windows fleet');
    await create.getByLabel('Devices query', { exact: true }).fill('devices | where platform == "windows"');
    await create.getByRole('button', { name: 'Create saved query', exact: true }).click();
    await waitForNotice(page, 'Saved query Windows fleet created.');
    const windowsRow = page.getByRole('row', { name: /^Windows fleet/ });
    await windowsRow.waitFor();
    expect(await windowsRow.textContent()).toContain('none');

    await page.getByRole('button', { name: 'Edit saved query Windows fleet', exact: true }).click();
    const edit = page.getByRole('form', { name: 'Edit saved query Windows fleet', exact: true });
    await edit.getByLabel(/^Name/).fill('Windows laptops');
    await edit.getByLabel('Devices query', { exact: true }).fill('devices | where platform == "windows" and tags contains "laptop"');
    await screenshot(page, 'saved-query-edit');
    await edit.getByRole('button', { name: 'Save changes', exact: true }).click();
    await waitForNotice(page, 'Saved query Windows laptops updated.');
    const renamed = page.getByRole('row', { name: /^Windows laptops/ });
    await expect.poll(() => renamed.textContent()).toContain('tags contains "laptop"');
    const listed = await admin('GET', '/api/v1/saved-queries');
    expect(listed.body.items.map((q: { name: string }) => q.name)).toEqual(['Lyon', 'Windows laptops']);

    // Open runs it on the devices page
    await renamed.getByRole('link', { name: 'Open saved query Windows laptops', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('devices | where platform == "windows" and tags contains "laptop"');
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Saved queries' }).waitFor();

    await page.getByRole('button', { name: 'Delete saved query Windows laptops', exact: true }).click();
    await page.getByRole('group', { name: 'Delete saved query Windows laptops?', exact: true }).getByRole('button', { name: 'Delete', exact: true }).click();
    await waitForNotice(page, 'Saved query Windows laptops deleted.');
    await expect.poll(() => page.getByRole('row', { name: /^Windows laptops/ }).count()).toBe(0);

    // one a role's scope uses is refused, with the reason, and stays
    await page.getByRole('button', { name: 'Delete saved query Lyon', exact: true }).click();
    await page.getByRole('group', { name: 'Delete Lyon? It scopes lyon-viewer.', exact: true }).getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'this query scopes the roles lyon-viewer; change their scope first' }).waitFor();
    expect(await lyonRow.count()).toBe(1);
    await screenshot(page, 'saved-queries');
    await expectAccessible(page, 'saved queries');

    const refused = await admin('DELETE', `/api/v1/saved-queries/${listed.body.items[0].id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('lyon-viewer') });
    expect(problems).toEqual([]);
  });

  it('a viewer reads saved queries and where they are used, with nothing to change', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page, viewer.email, viewer.password);
    await page.goto('/devices');
    await page.getByRole('link', { name: 'All saved queries', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Saved queries' }).waitFor();
    const lyonRow = page.getByRole('row', { name: /^Lyon/ });
    await expect.poll(() => lyonRow.textContent()).toContain('lyon-viewer');
    // role pages are for admins: the name is not a link
    expect(await lyonRow.getByRole('link', { name: 'lyon-viewer', exact: true }).count()).toBe(0);
    expect(await lyonRow.getByRole('link', { name: 'Open saved query Lyon', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'New saved query', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Edit|Delete) saved query/ }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('an editor who is not an admin may rename a query that scopes a role, but not change its text', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page, editor.email, editor.password);
    await page.goto('/saved-queries');
    await page.getByRole('button', { name: 'Edit saved query Lyon', exact: true }).click();
    const edit = page.getByRole('form', { name: 'Edit saved query Lyon', exact: true });
    expect(await edit.getByLabel('Devices query', { exact: true }).isDisabled()).toBe(true);
    await edit.getByText('It scopes the roles lyon-viewer: a change changes what they reach; only an admin may change it.').waitFor();
    await edit.getByLabel('Description', { exact: true }).fill('Everything in the Lyon office');
    await edit.getByRole('button', { name: 'Save changes', exact: true }).click();
    await waitForNotice(page, 'Saved query Lyon updated.');
    await expect.poll(() => page.getByRole('row', { name: /^Lyon/ }).textContent()).toContain('Everything in the Lyon office');
    const lyon = (await admin('GET', '/api/v1/saved-queries')).body.items.find((q: { name: string }) => q.name === 'Lyon');
    expect(lyon).toMatchObject({ description: 'Everything in the Lyon office', query: 'devices | where tags contains "site:lyon"' });
    expect(problems).toEqual([]);
  });

  it('the executions screen says how long history is kept', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.goto('/executions');
    await page.getByText('Finished executions and detection runs are kept for 45 days.').waitFor();
    expect(problems).toEqual([]);
  });
});
