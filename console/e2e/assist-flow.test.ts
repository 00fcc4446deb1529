/**
 * Assisted service in the console against a real backend: select devices (rows, shift-click ranges, every result
 * beyond the page) and launch on just those, tag them and save the query as a named category, and open the
 * launcher from deep links with the action and values filled in, waiting for Launch.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession, expectAccessible, screenshot, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';
import { enrollDevices, inventoryAction, type Call } from './seed';

let h: ConsoleHarness;
let admin: Call;
let ids: Record<string, string>;
const names = Array.from({ length: 30 }, (_, i) => `host-${String(i + 1).padStart(2, '0')}`);

beforeAll(async () => {
  h = await startConsoleHarness();
  admin = await apiSession(h.url);
  expect((await admin('POST', '/api/v1/actions', inventoryAction)).status).toBe(201);
  ids = await enrollDevices(h.url, admin, names.map((name) => ({ name, platform: 'linux' as const })));
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

const queryBox = (page: Page) => page.getByRole('textbox', { name: 'Query' });
const selectionCount = (page: Page) => page.getByTestId('selection-count').textContent();
const requestDevices = async (requestId: string) =>
  ((await admin('GET', `/api/v1/executions?requestId=${requestId}&limit=100`)).body.items as { deviceId: string; parameters: Record<string, unknown> }[]);
const nameOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)![0];

async function runQuery(page: Page, text: string) {
  await queryBox(page).fill(text);
  await page.getByRole('button', { name: 'Run query' }).click();
}

describe('assisted service', () => {
  it('selects rows with shift-click and launches on just those devices', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await runQuery(page, 'devices | sort name asc');
    await page.getByRole('link', { name: 'host-01' }).waitFor();
    expect(await selectionCount(page)).toBe('No device selected');
    await page.getByRole('checkbox', { name: 'Select host-02' }).click();
    await page.getByRole('checkbox', { name: 'Select host-05' }).click({ modifiers: ['Shift'] });
    await expect.poll(() => selectionCount(page)).toBe('4 devices selected');
    expect(await page.getByRole('checkbox', { name: 'Select host-04' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Select host-06' }).isChecked()).toBe(false);
    // shift-click on a selected row clears the range back to the anchor
    await page.getByRole('checkbox', { name: 'Select host-04' }).click({ modifiers: ['Shift'] });
    await expect.poll(() => selectionCount(page)).toBe('2 devices selected');
    await screenshot(page, 'devices-selection');
    await expectAccessible(page, 'devices with a selection');

    await page.getByRole('button', { name: 'Run an action on 2 devices selected' }).click();
    await page.getByLabel('Action', { exact: true }).selectOption(inventoryAction.slug);
    await page.getByRole('button', { name: 'Launch on 2 devices' }).click();
    await waitForNotice(page, 'Collect inventory launched on 2 devices.');
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/requests\//);
    const requestId = new URL(page.url()).pathname.split('/')[2]!;
    expect((await requestDevices(requestId)).map((e) => nameOf(e.deviceId)).sort()).toEqual(['host-02', 'host-03']);
    expect(problems).toEqual([]);
  });

  it('selects every result of the query, beyond the page shown', async () => {
    const { page } = await h.newPage();
    await h.signIn(page);
    await runQuery(page, 'devices | where name startswith "host-" | sort name asc');
    await page.getByRole('link', { name: 'host-01' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select the devices on this page' }).click();
    await expect.poll(() => selectionCount(page)).toBe('25 devices selected');
    await page.getByRole('button', { name: 'Select all 30 results' }).click();
    await expect.poll(() => selectionCount(page)).toBe('30 devices selected');
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await page.getByRole('checkbox', { name: 'Select host-30' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Run an action on 30 devices selected' }).click();
    await page.getByLabel('Action', { exact: true }).selectOption(inventoryAction.slug);
    await page.getByRole('button', { name: 'Launch on 30 devices' }).click();
    await waitForNotice(page, 'Collect inventory launched on 30 devices.');
  });

  it('tags the selected devices and saves a query that finds them as a category', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await runQuery(page, 'devices | sort name asc');
    await page.getByRole('checkbox', { name: 'Select host-07' }).click();
    await page.getByRole('checkbox', { name: 'Select host-08' }).click();
    await page.getByRole('button', { name: 'Tag 2 devices…' }).click();
    await page.getByLabel('Tags to add').fill('vip, floor:3');
    await page.getByRole('button', { name: 'Apply tags' }).click();
    await waitForNotice(page, 'Tags changed on 2 of 2 devices.');
    expect((await admin('GET', `/api/v1/devices/${ids['host-07']}`)).body.tags).toEqual(['floor:3', 'vip']);

    await runQuery(page, 'devices | where tags contains "vip"');
    await page.getByRole('link', { name: 'host-08' }).waitFor();
    await page.getByRole('button', { name: 'Save query…' }).click();
    await page.getByLabel('Name of the saved query').fill('VIP desks');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await waitForNotice(page, 'Query saved as VIP desks.');

    await runQuery(page, 'devices | sort name asc');
    await page.getByRole('link', { name: 'host-20' }).waitFor();
    await page.getByLabel('Saved query').selectOption({ label: 'VIP desks' });
    await expect.poll(() => page.locator('table.results tbody tr').count()).toBe(2);
    expect(await queryBox(page).inputValue()).toBe('devices | where tags contains "vip"');
    // as a launch target: the whole category at once
    await page.getByRole('button', { name: 'Run an action on all 2 devices' }).waitFor();

    // the device page edits tags one device at a time
    await page.goto(`/devices/${ids['host-07']}`);
    await page.getByLabel('Tags', { exact: true }).fill('floor:3');
    await page.getByRole('button', { name: 'Save tags' }).click();
    await waitForNotice(page, 'Tags of host-07 saved.');
    expect((await admin('GET', `/api/v1/devices/${ids['host-07']}`)).body.tags).toEqual(['floor:3']);
    expect(problems).toEqual([]);
  });

  it('opens the device launcher from a deep link with the action and values filled in, waiting for Launch', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    const before = (await admin('GET', `/api/v1/executions?deviceId=${ids['host-11']}`)).body.total;
    await page.goto(`/devices/${ids['host-11']}?action=${inventoryAction.slug}&Drive=E%3A`);
    const launcher = page.getByTestId('launcher');
    await expect.poll(() => launcher.getByLabel('Drive').inputValue().catch(() => '')).toBe('E:');
    await screenshot(page, 'device-deep-link');
    expect((await admin('GET', `/api/v1/executions?deviceId=${ids['host-11']}`)).body.total).toBe(before);
    await launcher.getByRole('button', { name: 'Launch' }).click();
    await launcher.getByText('Queued (device offline or busy)').waitFor();
    const [execution] = (await admin('GET', `/api/v1/executions?deviceId=${ids['host-11']}`)).body.items;
    expect(execution.parameters).toEqual({ Drive: 'E:' });
    expect(problems).toEqual([]);
  });

  it('opens the launch form on a query’s devices from a deep link, filled in and waiting for Launch', async () => {
    const { page } = await h.newPage();
    await h.signIn(page);
    const q = encodeURIComponent('devices | where name startswith "host-1"');
    await page.goto(`/devices?q=${q}&action=${inventoryAction.slug}&Drive=F%3A`);
    await page.getByRole('button', { name: 'Launch on 10 devices' }).waitFor();
    expect(await page.getByLabel('Action', { exact: true }).inputValue()).toBe(inventoryAction.slug);
    expect(await page.getByLabel('Drive').inputValue()).toBe('F:');
    await page.getByRole('button', { name: 'Launch on 10 devices' }).click();
    await waitForNotice(page, 'Collect inventory launched on 10 devices.');
    const requestId = new URL(page.url()).pathname.split('/')[2]!;
    const launched = await requestDevices(requestId);
    expect(launched.map((e) => nameOf(e.deviceId)).sort()).toEqual(names.filter((n) => n.startsWith('host-1')));
    expect(launched.every((e) => e.parameters.Drive === 'F:')).toBe(true);
  });

  it('creates a role scoped by a saved query that may run what it may edit', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.goto('/admin/roles/new');
    await page.getByLabel('Name').fill('vip-editors');
    await page.getByRole('group', { name: 'Permissions' }).getByLabel('actions:edit').check();
    await page.getByRole('group', { name: 'Permissions' }).getByLabel('devices:read').check();
    await page.getByLabel(/May run what they may edit/).check();
    await page.getByLabel('Every device').uncheck();
    await page.getByRole('group', { name: /Saved queries/ }).getByLabel('VIP desks').check();
    await page.getByRole('button', { name: 'Create role' }).click();
    await waitForNotice(page, 'Role vip-editors saved.');
    const row = page.getByRole('row', { name: /vip-editors/ });
    await expect.poll(() => row.textContent()).toContain('queries VIP desks');
    expect(await row.textContent()).toContain('may run what they may edit');
    const role = (await admin('GET', '/api/v1/roles/vip-editors')).body;
    expect(role).toMatchObject({ editImpliesRun: true, deviceScope: { all: false, queries: [expect.any(String)] } });
    expect(problems).toEqual([]);
  });
});
