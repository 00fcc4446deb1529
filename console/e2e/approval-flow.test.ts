/**
 * Four-eyes approval in the console, with approval required as in production: the approvals queue shows each waiting
 * version's changes against the last approved one, its author cannot review it, another reviewer approves or
 * rejects it, a review someone else recorded first is a clear error, and the version history shows every state.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiSession, expectAccessible, screenshot, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';
import { inventoryAction, type Call } from './seed';

let h: ConsoleHarness;
let admin: Call;
let ines: Call;
const author = { email: 'ines@example.com', password: 'author-password-1' };
const reviewer = { email: 'rui@example.com', password: 'reviewer-password-1' };
const slug = inventoryAction.slug;

/** Version 2 against the approved version 1: one Linux line changed, one parameter added. */
const edited = {
  ...inventoryAction,
  parameters: [...inventoryAction.parameters, { name: 'Depth', type: 'int', default: 1, description: 'Directory levels to scan' }],
  scripts: {
    ...inventoryAction.scripts,
    linux: { shell: 'sh', source: 'fixpoint output free_kb "$(df -k /home | awk \'NR==2 {print $4}\')"\nfixpoint output healthy true' },
  },
};

beforeAll(async () => {
  h = await startConsoleHarness({ FIXPOINT_REQUIRE_APPROVAL: 'true' });
  admin = await apiSession(h.url);
  const role = await admin('POST', '/api/v1/roles', { name: 'reviewer', permissions: ['actions:approve', 'devices:read'], runnableActions: [] });
  expect(role.status).toBe(201);
  for (const [user, name, roles] of [[author, 'Ines Author', ['author', 'reviewer']], [reviewer, 'Rui Reviewer', ['reviewer']]] as const)
    expect((await admin('POST', '/api/v1/users', { email: user.email, name, password: user.password, roles })).status).toBe(201);
  ines = await apiSession(h.url, author.email, author.password);
  expect((await ines('POST', '/api/v1/actions', inventoryAction)).status).toBe(201);
  const rui = await apiSession(h.url, reviewer.email, reviewer.password);
  expect((await rui('POST', `/api/v1/actions/${slug}/versions/1/approve`)).status).toBe(200);
  expect((await ines('PUT', `/api/v1/actions/${slug}`, edited)).status).toBe(200);
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

describe('approvals', () => {
  it('shows its author the waiting version with its changes, and no way to approve it', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page, author.email, author.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals', exact: true }).click();
    const item = page.getByRole('article', { name: 'Collect inventory version 2' });
    await item.waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]').allTextContents()).toEqual(['Approvals']);
    await item.getByText('Compared with version 1, approved by').waitFor();
    const linux = item.getByRole('region', { name: 'Changes from v1 to v2' });
    await expect.poll(() => linux.locator('.diff-line.add').allTextContents()).toEqual([expect.stringContaining("df -k /home")]);
    expect(await linux.locator('.diff-line.del').allTextContents()).toEqual([expect.stringContaining("df -k / |")]);
    await item.getByText('parameter Depth (int, optional); default 1 — Directory levels to scan').waitFor();
    await item.getByText('You wrote this version: under the four-eyes rule someone else must approve or reject it.').waitFor();
    expect(await item.getByRole('button', { name: 'Approve version 2', exact: true }).count()).toBe(0);
    // the API says the same to a request made without the console
    const own = await ines('POST', `/api/v1/actions/${slug}/versions/2/approve`);
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe(`four-eyes rule: version 2 of ${slug} was written by you; someone else must approve it`);
    await screenshot(page, 'approvals-author');
    await item.getByRole('link', { name: 'Version history', exact: true }).waitFor();
    await page.goto(`/actions/${slug}`);
    await page.locator('.page-description .badge', { hasText: 'Awaiting approval' }).waitFor();
    await page.goto('/actions/approvals');
    await item.waitFor();
    await expectAccessible(page, 'approvals (author)');
    expect(problems).toEqual([]);
  });

  it('lets another reviewer approve it, then shows an approval recorded first as an error, and a rejection with its reason', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page, reviewer.email, reviewer.password);
    await page.goto('/actions/approvals');
    const second = page.getByRole('article', { name: 'Collect inventory version 2' });
    await second.getByRole('region', { name: 'Changes from v1 to v2' }).waitFor();
    await screenshot(page, 'approvals');
    await expectAccessible(page, 'approvals');
    await second.getByRole('button', { name: 'Approve version 2', exact: true }).click();
    await waitForNotice(page, 'Version 2 of Collect inventory approved.');
    await page.getByRole('heading', { name: 'Nothing awaits approval' }).waitFor();

    // version 3, approved by the admin behind the page's back while the reviewer reads it
    expect((await ines('PUT', `/api/v1/actions/${slug}`, { ...edited, description: 'Reports free space, third take.' })).status).toBe(200);
    await page.reload();
    const third = page.getByRole('article', { name: 'Collect inventory version 3' });
    await third.getByRole('cell', { name: 'Reports free space, third take.' }).waitFor();
    await third.getByText('No script changed.').waitFor();
    expect((await admin('POST', `/api/v1/actions/${slug}/versions/3/approve`)).status).toBe(200);
    await third.getByLabel('Reason for rejecting version 3', { exact: true }).fill('too vague');
    await third.getByRole('button', { name: 'Reject version 3', exact: true }).click();
    await third
      .getByRole('alert')
      .filter({ hasText: `Could not record the review: version 3 of ${slug} is already approved (by user:admin@example.com)` })
      .waitFor();

    expect((await ines('PUT', `/api/v1/actions/${slug}`, { ...edited, description: 'Fourth take.' })).status).toBe(200);
    await page.reload();
    const fourth = page.getByRole('article', { name: 'Collect inventory version 4' });
    await fourth.getByText('Compared with version 3').waitFor();
    await fourth.getByLabel('Reason for rejecting version 4', { exact: true }).fill('the description says nothing');
    await fourth.getByRole('button', { name: 'Reject version 4', exact: true }).click();
    await waitForNotice(page, 'Version 4 of Collect inventory rejected.');
    await page.getByRole('heading', { name: 'Nothing awaits approval' }).waitFor();

    // the history shows the approval state of every version (people by e-mail: a reviewer may not list users)
    await page.goto(`/actions/${slug}/history`);
    const states = page.locator('table tbody tr td:last-child');
    await expect.poll(() => states.allTextContents()).toEqual([
      'Rejected by rui@example.comthe description says nothing',
      'Approved by admin@example.com',
      'Approved by rui@example.com',
      'Approved by rui@example.com',
    ]);
    expect(problems).toEqual([]);
  });
});
