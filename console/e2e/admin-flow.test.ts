/** An admin creates an action, a role and a support user; the support user sees only what the role allows. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAccessible, screenshot, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';

let h: ConsoleHarness;
beforeAll(async () => {
  h = await startConsoleHarness();
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

const support = { email: 'sam@example.com', password: 'support-password-1' };

async function typeInEditor(page: Page, label: string, text: string) {
  const editor = page.getByRole('textbox', { name: label });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

describe('admin flow', () => {
  it('creates an action, edits it, and compares the versions', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    // Administrators land on the devices page, the first page of the navigation.
    await expect.poll(() => new URL(page.url()).pathname).toBe('/devices');
    await page.getByRole('heading', { name: 'No devices yet' }).waitFor();
    await page.getByRole('link', { name: 'Actions', exact: true }).click();
    await page.getByRole('heading', { name: 'No actions yet' }).waitFor();
    await screenshot(page, 'actions-empty');

    await page.getByRole('link', { name: 'New action' }).click();
    await page.getByRole('heading', { level: 1, name: 'New action' }).waitFor();
    // Focus lands on the new page's title after a navigation.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-title');

    // Saving an empty form shows the schema's messages next to the fields.
    await page.getByRole('button', { name: 'Create action' }).click();
    await page.getByText(/Fix the \d+ fields marked below/).waitFor();

    await page.getByLabel('Name', { exact: false }).first().fill('Restart print spooler');
    await page.getByLabel('Slug').fill('restart-spooler');
    await page.getByLabel('Description').fill('Restarts the Windows print spooler service.');
    await typeInEditor(page, 'Windows script', 'Restart-Service -Name $env:FIXPOINT_PARAM_ServiceName\nfixpoint output restarted true');
    await page.getByRole('textbox', { name: 'Windows script' }).locator('.cm-line').first().waitFor();

    await page.getByRole('button', { name: 'Add parameter' }).click();
    const parameter = page.getByRole('group', { name: /Parameter 1/ });
    await parameter.getByLabel('Name').fill('ServiceName');
    await parameter.getByLabel('Default value').fill('Spooler');
    await page.getByRole('button', { name: 'Add output' }).click();
    const output = page.getByRole('group', { name: /Output 1/ });
    await output.getByLabel('Name').fill('restarted');
    await output.getByLabel('Type').selectOption('bool');
    await screenshot(page, 'action-editor');
    await page.getByRole('button', { name: 'Create action' }).click();

    await waitForNotice(page, 'Action “Restart print spooler” created as version 1.');
    await page.getByRole('heading', { level: 1, name: 'Restart print spooler' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/actions/restart-spooler');

    await page.getByLabel('Timeout (seconds)').fill('600');
    // only a run as the user asks what to do while nobody is logged in (wait by default)
    expect(await page.getByLabel('When nobody is logged in', { exact: true }).count()).toBe(0);
    await page.getByLabel('Run as', { exact: true }).selectOption('user');
    expect(await page.getByLabel('When nobody is logged in', { exact: true }).inputValue()).toBe('wait');
    await page.getByLabel('When nobody is logged in', { exact: true }).selectOption('skip');
    await typeInEditor(page, 'Windows script', 'Restart-Service -Name $env:FIXPOINT_PARAM_ServiceName -Force\nfixpoint output restarted true');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await waitForNotice(page, 'Saved as version 2.');

    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: /Version 1 → version 2/ }).waitFor();
    const diff = page.getByRole('region', { name: 'Changes from v1 to v2' });
    await expect.poll(() => diff.textContent()).toContain('timeoutSec: 600');
    expect(await diff.textContent()).toContain('whenNoUser: skip');
    expect(await diff.locator('.diff-line.del').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('timeoutSec: 300'), expect.stringContaining('-Name $env:FIXPOINT_PARAM_ServiceName')]),
    );
    await screenshot(page, 'action-history');
    await expectAccessible(page, 'action history');
    expect(problems).toEqual([]);
  });

  it('creates a role that runs the action and a support user holding it', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.getByRole('link', { name: 'Roles' }).click();
    await page.getByRole('link', { name: 'New role' }).click();
    await page.getByLabel('Name').fill('helpdesk');
    await page.getByLabel('Description').fill('First-line support in Paris');
    const perms = page.getByRole('group', { name: 'Permissions' });
    await perms.getByLabel('actions:run', { exact: true }).check();
    await perms.getByLabel('devices:read').check();
    await page.getByLabel('Restart print spooler (restart-spooler)').check();
    await page.getByLabel('Every device').uncheck();
    await page.getByLabel('Device tags').fill('site:paris');
    await screenshot(page, 'role-editor');
    await expectAccessible(page, 'role editor');
    await page.getByRole('button', { name: 'Create role' }).click();
    await waitForNotice(page, 'Role helpdesk saved.');
    const row = page.getByRole('row', { name: /helpdesk/ });
    await expect.poll(() => row.textContent()).toContain('tags site:paris');

    // The built-in support role keeps its permissions; which actions it runs can change.
    await page.getByRole('link', { name: 'support' }).click();
    await page.getByText('only the actions it may run and its devices can change').waitFor();
    expect(await page.getByRole('group', { name: 'Permissions' }).getByLabel('admin').isDisabled()).toBe(true);
    await page.getByLabel('Restart print spooler (restart-spooler)').check();
    await page.getByRole('button', { name: 'Save role' }).click();
    await waitForNotice(page, 'Role support saved.');
    await expect.poll(() => page.getByRole('row', { name: /^support/ }).textContent()).toContain('restart-spooler');

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'New user' }).click();
    await page.getByLabel('E-mail').fill(support.email);
    await page.getByLabel('Name').fill('Sam Support');
    await page.getByLabel('Initial password').fill(support.password);
    await page.getByRole('group', { name: 'Roles' }).getByLabel('helpdesk').check();
    await page.getByRole('button', { name: 'Create user' }).click();
    await waitForNotice(page, `User ${support.email} created with roles helpdesk.`);
    await page.getByRole('row', { name: new RegExp(support.email) }).waitFor();
    await screenshot(page, 'users');
    expect(problems).toEqual([]);
  });

  it('shows the support user only what the role allows, and the API refuses the rest', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page, support.email, support.password);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Devices',
      'Executions',
      'Help requests',
      'Actions',
      'Campaigns',
      'Schedules',
      'Detection rules',
      'My access tokens',
    ]);
    await nav.getByRole('link', { name: 'Actions' }).click();
    await page.getByRole('link', { name: 'Restart print spooler' }).waitFor();
    expect(await page.getByRole('link', { name: 'New action' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Import' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Restart print spooler' }).click();
    await page.getByText('changing it needs the actions:edit permission').waitFor();
    expect(await page.getByRole('button', { name: 'Save new version' }).count()).toBe(0);
    expect(await page.getByLabel('Name').first().isDisabled()).toBe(true);
    await screenshot(page, 'action-read-only');

    await page.goto('/admin/users');
    await page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();

    const answers = await page.evaluate(async () => {
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(path, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
        return { status: res.status, code: ((await res.json().catch(() => ({}))) as { error?: { code?: string } }).error?.code };
      };
      return {
        users: await call('GET', '/api/v1/users'),
        createAction: await call('POST', '/api/v1/actions', { slug: 'evil', name: 'x', purpose: 'remediation', scripts: { linux: { source: 'id' } } }),
        archive: await call('DELETE', '/api/v1/actions/restart-spooler'),
        roles: await call('PUT', '/api/v1/roles/helpdesk', { name: 'helpdesk', permissions: ['admin'] }),
      };
    });
    expect(answers).toEqual({
      users: { status: 403, code: 'forbidden' },
      createAction: { status: 403, code: 'forbidden' },
      archive: { status: 403, code: 'forbidden' },
      roles: { status: 403, code: 'forbidden' },
    });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const after = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(after).toBe(401);
    expect(problems).toEqual([]);
  });
});
