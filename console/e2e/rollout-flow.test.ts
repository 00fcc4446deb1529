/**
 * Bulk launches with a blast radius, in the console against a real backend whose rollout threshold is lowered to 3
 * devices: the launch form asks for the device count the API answered (409) and refuses a wrong one; the launch page
 * shows a staged rollout paused by a failing first wave with its reason and counts per wave, resumes it, and cancels
 * what is queued or held, and follows a good rollout the server releases wave by wave to its completion. Results are
 * played from the test process, as an agent would report them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { apiSession, expectAccessible, screenshot, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';
import { enrollDevices, finishExecution, inventoryAction, type Call } from './seed';

let h: ConsoleHarness;
let admin: Call;
let ids: Record<string, string>;
const names = Array.from({ length: 6 }, (_, i) => `node-${i + 1}`);
// the machine running these tests may be loaded: waits are on what the page shows, with room to spare
const patience = { timeout: 30_000 };

beforeAll(async () => {
  h = await startConsoleHarness({ FIXPOINT_ROLLOUT_THRESHOLD: '3' });
  admin = await apiSession(h.url);
  expect((await admin('POST', '/api/v1/actions', inventoryAction)).status).toBe(201);
  ids = await enrollDevices(h.url, admin, names.map((name) => ({ name, platform: 'linux' as const })));
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

const launches = async () => (await admin('GET', '/api/v1/executions?limit=100')).body.items as unknown[];
const rowsOf = async (requestId: string) =>
  (await admin('GET', `/api/v1/executions?requestId=${requestId}&limit=100`)).body.items as { id: string; deviceId: string; status: string }[];
/** The text of each wave's row: wave, share, devices, succeeded, failed, waiting, canceled or expired, must succeed. */
const waveRows = (panel: Locator) =>
  panel.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent?.trim() ?? '').join('|')));

describe('counted confirmation and staged rollouts in the console', () => {
  it('asks for the device count the API answered, refuses a wrong one and launches with the right one', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.getByRole('textbox', { name: 'Query' }).fill('devices | where name startswith "node-" | sort name asc');
    await page.getByRole('button', { name: 'Run query' }).click();
    await page.getByRole('button', { name: 'Run an action on all 6 devices' }).click();
    await page.getByLabel('Action', { exact: true }).selectOption(inventoryAction.slug);
    const launch = page.getByRole('button', { name: 'Launch on 6 devices' });
    await launch.click();

    // the form does not know the threshold: the count it asks for is the one the API's 409 carried
    const count = page.getByLabel(/Type 6 to confirm\.$/);
    await count.waitFor(patience);
    expect(await page.getByLabel(/reaches 6 devices and runs in waves/).count()).toBe(1);
    await expect.poll(() => launch.isEnabled(), patience).toBe(true);
    expect(await launches()).toEqual([]);

    await count.fill('5');
    await launch.click();
    // the message is the field's own error, read out with it
    const message = page.locator('.field.has-error .field-error');
    await message.waitFor(patience);
    expect(await message.textContent()).toBe('Type 6 to confirm.');
    expect(await count.getAttribute('aria-invalid')).toBe('true');
    expect(await count.getAttribute('aria-describedby')).toContain((await message.getAttribute('id'))!);
    expect(new URL(page.url()).pathname).toBe('/devices');
    expect(await launches()).toEqual([]);
    await screenshot(page, 'bulk-launch-count');
    await expectAccessible(page, 'bulk launch asking for the count');

    await count.fill('6');
    await launch.click();
    await waitForNotice(page, 'Collect inventory launched on 6 devices.');
    await expect.poll(() => new URL(page.url()).pathname, patience).toMatch(/^\/requests\//);
    const requestId = new URL(page.url()).pathname.split('/')[2]!;
    const rows = await rowsOf(requestId);
    expect(rows.map((r) => r.deviceId).sort()).toEqual(Object.values(ids).sort());
    // above the threshold the launch is staged by default: one device first, the rest held
    expect(rows.filter((r) => r.status === 'queued')).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'held')).toHaveLength(5);
    await expect.poll(() => page.getByTestId('rollout-state').textContent(), patience).toBe('running');
    expect(problems).toEqual([]);
  });

  it('shows a rollout paused by its first wave with the reason and counts per wave, resumes it, and cancels the rest', async () => {
    const devices = names.slice(0, 4).map((n) => ids[n]!);
    const res = await admin('POST', '/api/v1/executions', {
      action: inventoryAction.slug, devices, parameters: {}, trigger: 'api', confirmDeviceCount: 4, rollout: { waves: [25, 50, 100] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const requestId = res.body.requestId as string;
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.goto(`/requests/${requestId}`);
    const panel = page.getByTestId('rollout');
    const state = page.getByTestId('rollout-state');
    await expect.poll(() => state.textContent(), patience).toBe('running');
    await page.locator('.live-mark.live').waitFor(patience);
    expect(await panel.textContent()).toContain('wave 1 of 3');
    expect(await waveRows(panel)).toEqual(['1|25 %|1|0|0|1|0|100 %', '2|50 %|1|0|0|1|0|90 %', '3|100 %|2|0|0|2|0|90 %']);

    // waves take the targets in the order given: the first device is wave 1, the second wave 2, the others wave 3
    const statusOf = async (deviceIds: string[]) => {
      const rows = await rowsOf(requestId);
      return deviceIds.map((d) => rows.find((r) => r.deviceId === d)!.status);
    };
    const first = (await rowsOf(requestId)).find((r) => r.deviceId === devices[0])!;
    expect(first.status).toBe('queued');
    await finishExecution(h.backend.ctx, first, { status: 'failed', stderr: 'broken on this device' });
    await expect.poll(() => state.textContent(), patience).toBe('paused');
    expect(await page.getByTestId('rollout-reason').textContent()).toBe('Paused: wave 1: 0 of 1 runs succeeded (0 %), below the 100 % required');
    expect(await waveRows(panel)).toEqual(['1|25 %|1|0|1|0|0|100 %', '2|50 %|1|0|0|1|0|90 %', '3|100 %|2|0|0|2|0|90 %']);
    expect(await statusOf(devices)).toEqual(['failed', 'held', 'held', 'held']);
    await screenshot(page, 'rollout-paused');
    await expectAccessible(page, 'a paused rollout');

    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => state.textContent(), patience).toBe('running');
    await page.getByText('wave 2 of 3').waitFor(patience);
    expect(await page.getByTestId('rollout-reason').count()).toBe(0);
    expect(await statusOf(devices)).toEqual(['failed', 'queued', 'held', 'held']);

    // cancel stops the rollout: the queued device of wave 2 and the held ones of wave 3
    await page.getByRole('button', { name: 'Cancel what is queued or held' }).click();
    await expect.poll(() => state.textContent(), patience).toBe('canceled');
    await expect.poll(() => waveRows(panel), patience).toEqual(['1|25 %|1|0|1|0|0|100 %', '2|50 %|1|0|0|0|1|90 %', '3|100 %|2|0|0|0|2|90 %']);
    await expect.poll(() => page.getByTestId('status-counts').textContent(), patience).toMatch(/failed: 1.*canceled: 3/);
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel what is queued or held' }).count()).toBe(0);
    expect(await statusOf(devices)).toEqual(['failed', 'canceled', 'canceled', 'canceled']);
    expect(problems).toEqual([]);
  });

  it('follows a good rollout wave by wave to completion as the server releases each wave', async () => {
    const devices = names.slice(3).map((n) => ids[n]!);
    const res = await admin('POST', '/api/v1/executions', {
      action: inventoryAction.slug, devices, parameters: {}, trigger: 'api', rollout: { waves: [33, 66, 100] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const requestId = res.body.requestId as string;
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.goto(`/requests/${requestId}`);
    const panel = page.getByTestId('rollout');
    await page.getByText('wave 1 of 3').waitFor(patience);
    await page.locator('.live-mark.live').waitFor(patience);
    for (const [i, device] of devices.entries()) {
      // each wave is queued by the server once the one before succeeded; the page is not reloaded
      let queued: { id: string; deviceId: string } | undefined;
      await expect.poll(async () => (queued = (await rowsOf(requestId)).find((r) => r.deviceId === device && r.status === 'queued')), patience).toBeTruthy();
      await finishExecution(h.backend.ctx, queued!, { outputs: { free_kb: 1, healthy: true } });
      if (i < devices.length - 1) await page.getByText(`wave ${i + 2} of 3`).waitFor(patience);
    }
    await expect.poll(() => page.getByTestId('rollout-state').textContent(), patience).toBe('completed');
    expect(await waveRows(panel)).toEqual(['1|33 %|1|1|0|0|0|100 %', '2|66 %|1|1|0|0|0|90 %', '3|100 %|1|1|0|0|0|90 %']);
    expect(await panel.getByRole('button').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
