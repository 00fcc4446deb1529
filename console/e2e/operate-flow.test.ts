/**
 * Support work in the console against a real backend: find devices with the query language, launch the shared
 * launcher on one and see its outputs arrive live, launch on every result and watch the counts fill in, follow
 * executions, and check that a read-only user sees no launch control and is refused by the API.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession, expectAccessible, screenshot, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';
import { enrollDevices, finishExecution, inventoryAction, type Call } from './seed';

let h: ConsoleHarness;
let admin: Call;
let ids: Record<string, string>;
const sam = { email: 'sam@example.com', password: 'support-password-1' };
const vera = { email: 'vera@example.com', password: 'viewer-password-1' };

beforeAll(async () => {
  h = await startConsoleHarness();
  admin = await apiSession(h.url);
  expect((await admin('POST', '/api/v1/actions', inventoryAction)).status).toBe(201);
  ids = await enrollDevices(h.url, admin, [
    { name: 'pc-lyon-1', platform: 'linux', facts: { os: { name: 'Debian', kernel: '6.1' }, logged_in_user: 'ana', disk: { free_pct: 7 } } },
    { name: 'pc-lyon-2', platform: 'linux', facts: { os: { name: 'Ubuntu' }, logged_in_user: 'bob', disk: { free_pct: 55 } } },
    { name: 'pc-paris-1', platform: 'windows', facts: { logged_in_user: 'chloe', disk: { free_pct: 31 } } },
  ]);
  const role = await admin('POST', '/api/v1/roles', { name: 'helpdesk', permissions: ['actions:run', 'devices:read'], runnableActions: [inventoryAction.slug] });
  expect(role.status).toBe(201);
  for (const [user, roles] of [[sam, ['helpdesk']], [vera, ['viewer']]] as const)
    expect((await admin('POST', '/api/v1/users', { email: user.email, name: user.email, password: user.password, roles })).status).toBe(201);
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

const newest = async (query: string) => (await admin('GET', `/api/v1/executions?${query}`)).body.items as { id: string; deviceId: string; status: string }[];
const queryBox = (page: Page) => page.getByRole('textbox', { name: 'Query' });

async function runQuery(page: Page, text: string) {
  await queryBox(page).fill(text);
  await page.getByRole('button', { name: 'Run query' }).click();
}

describe('support flow', () => {
  it('finds a device with a query, launches the action from the device page and sees the outputs live', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page, sam.email, sam.password);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/devices');
    await page.getByRole('link', { name: 'pc-paris-1' }).waitFor();
    await screenshot(page, 'devices');
    await expectAccessible(page, 'devices');

    // A query the language rejects is underlined where the problem is.
    await runQuery(page, 'devices | whre online == true | sort name');
    await expect.poll(() => page.getByTestId('query-error').textContent()).toMatch(/^Line 1, column 11: expected 'where', 'list'.*found 'whre'$/);
    expect(await page.locator('.query-mark').textContent()).toBe('whre');
    expect(await queryBox(page).getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'devices-query-error');
    await expectAccessible(page, 'devices with a query error');

    await runQuery(page, 'devices | where platform == "linux" | list name, platform, os.version');
    await page.getByRole('link', { name: 'pc-lyon-2' }).waitFor();
    expect(await page.getByTestId('query-error').count()).toBe(0);
    expect(await page.getByRole('columnheader').allTextContents()).toEqual(['name', 'platform', 'os.version']);
    await page.getByRole('button', { name: 'name' }).click();
    await page.getByRole('button', { name: 'name' }).click();
    expect(await page.getByRole('columnheader', { name: 'name' }).getAttribute('aria-sort')).toBe('descending');
    expect(await page.locator('table.results tbody tr').first().textContent()).toContain('pc-lyon-2');
    expect(new URL(page.url()).searchParams.get('q')).toContain('platform == "linux"');

    await page.getByRole('link', { name: 'pc-lyon-1' }).click();
    await page.getByRole('heading', { level: 1, name: 'pc-lyon-1' }).waitFor();
    await page.getByText('os.kernel').waitFor();
    // The extension's launcher panel, opened on this device.
    const launcher = page.getByTestId('launcher');
    await launcher.getByRole('button', { name: /Collect inventory/ }).click();
    expect(await launcher.getByLabel('Drive').inputValue()).toBe('C:');
    await launcher.getByRole('button', { name: 'Launch' }).click();
    await launcher.getByText('Queued (device offline or busy)').waitFor();

    const [execution] = await newest(`deviceId=${ids['pc-lyon-1']}`);
    expect(execution).toMatchObject({ status: 'queued' });
    await finishExecution(h.backend.ctx, execution!, { outputs: { free_kb: 123456, healthy: true }, stdout: 'inventory done' });
    const run = launcher.getByRole('region', { name: 'Run of Collect inventory' });
    await run.getByText('Succeeded').waitFor();
    await expect.poll(() => run.textContent()).toMatch(/free_kb.*123456/);
    expect(await run.textContent()).toContain('inventory done');
    // The device page follows too: latest outputs and the history.
    await expect.poll(() => page.getByTestId('device-outputs').textContent()).toContain('123456');
    await expect.poll(() => page.getByTestId('executions').textContent()).toContain('succeeded');
    await screenshot(page, 'device');
    await expectAccessible(page, 'device');

    await page.getByTestId('executions').getByRole('link', { name: /Execution of collect-inventory/ }).click();
    await page.getByRole('heading', { level: 1, name: 'collect-inventory on pc-lyon-1' }).waitFor();
    expect(await page.getByTestId('timeline').locator('li.reached').count()).toBe(4);
    expect(await page.getByTestId('execution-outputs').textContent()).toMatch(/free_kb123456.*healthyyes/);
    await screenshot(page, 'execution');
    await expectAccessible(page, 'execution');
    expect(problems).toEqual([]);
  });

  it('launches on every result of a query and fills in the counts live', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page, sam.email, sam.password);
    await runQuery(page, 'devices | where platform == "linux"');
    await page.getByRole('button', { name: 'Run an action on all 2 devices' }).click();
    await page.getByLabel('Action', { exact: true }).selectOption(inventoryAction.slug);
    await page.getByLabel('Drive').fill('D:');
    await page.getByRole('button', { name: 'Launch on 2 devices' }).click();
    await waitForNotice(page, 'Collect inventory launched on 2 devices.');
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/requests\//);
    const counts = page.getByTestId('status-counts');
    await expect.poll(() => counts.textContent()).toContain('queued: 2');
    await page.locator('.live-mark.live').waitFor();

    const requestId = new URL(page.url()).pathname.split('/')[2]!;
    const [a, b] = await newest(`requestId=${requestId}`);
    await finishExecution(h.backend.ctx, a!, { outputs: { free_kb: 1, healthy: false } });
    await expect.poll(() => counts.textContent()).toMatch(/queued: 1.*succeeded: 1/);
    await finishExecution(h.backend.ctx, b!, { status: 'failed', stderr: 'df: not found' });
    await expect.poll(() => counts.textContent()).toMatch(/queued: 0.*succeeded: 1.*failed: 1/);
    await page.getByText('2 of 2 executions finished').waitFor();
    await screenshot(page, 'launch-progress');
    await expectAccessible(page, 'launch progress');
    expect(problems).toEqual([]);
  });

  it('follows executions live, filters them and cancels one', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page, sam.email, sam.password);
    await page.getByRole('link', { name: 'Executions' }).click();
    const table = page.getByTestId('executions');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    await page.locator('.live-mark.live').waitFor();

    // A launch made elsewhere shows up without a reload.
    const launched = await admin('POST', '/api/v1/executions', { action: inventoryAction.slug, devices: [ids['pc-paris-1']], trigger: 'api' });
    expect(launched.status).toBe(202);
    await expect.poll(() => table.locator('tbody tr').count()).toBe(4);
    await screenshot(page, 'executions');
    await expectAccessible(page, 'executions');

    await page.getByLabel('Status').selectOption('failed');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('status')).toBe('failed');
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Trigger').selectOption('api');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);

    await table.getByRole('link', { name: /Execution of collect-inventory on pc-paris-1/ }).click();
    await page.getByRole('button', { name: 'Cancel execution' }).click();
    await page.getByRole('button', { name: 'Cancel it' }).click();
    await waitForNotice(page, 'Execution canceled.');
    await page.locator('.status-badge', { hasText: 'canceled' }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Cancel execution' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});

describe('a read-only user', () => {
  it('sees no launch or edit control, and the API refuses the calls anyway', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page, vera.email, vera.password);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Devices', 'Executions', 'Help requests', 'Actions', 'Campaigns', 'Schedules', 'Detection rules', 'My access tokens']);
    await page.getByRole('link', { name: 'pc-lyon-1' }).waitFor();
    expect(await page.getByRole('button', { name: /Run an action on all/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'pc-lyon-1' }).click();
    await page.getByRole('heading', { name: 'Execution history' }).waitFor();
    expect(await page.getByTestId('launcher').count()).toBe(0);
    await page.getByTestId('executions').getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel execution' }).count()).toBe(0);
    for (const [path, control] of [
      ['/campaigns', 'New campaign'],
      ['/schedules', 'New schedule'],
      ['/detections', 'New detection rule'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.getByRole('link', { name: control }).count(), path).toBe(0);
    }
    await page.goto('/admin/enrollment-tokens');
    await page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();

    const execution = (await newest(`deviceId=${ids['pc-lyon-1']}`))[0]!;
    const answers = await page.evaluate(
      async ({ device, execution }) => {
        const call = async (method: string, path: string, body?: unknown) =>
          (await fetch(path, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined })).status;
        return [
          await call('POST', '/api/v1/executions', { action: 'collect-inventory', devices: [device] }),
          await call('POST', `/api/v1/executions/${execution}/cancel`),
          await call('POST', '/api/v1/campaigns', { slug: 'x' }),
          await call('POST', '/api/v1/schedules', { name: 'x' }),
          await call('POST', '/api/v1/detections', { name: 'x' }),
          await call('POST', '/api/v1/enrollment-tokens', {}),
          await call('GET', `/api/v1/devices/${device}/campaign-responses`),
        ];
      },
      { device: ids['pc-lyon-1']!, execution: execution.id },
    );
    expect(answers).toEqual([403, 403, 403, 403, 403, 403, 403]);
    expect(problems).toEqual([]);
  });
});
