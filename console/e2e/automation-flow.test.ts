/**
 * Schedules, detection rules and enrollment tokens in the console: editors with query errors in place, a scheduled
 * run and its history, a rule that fires, trips its breaker and is resumed, a dry run, and tokens shown once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDueSchedules } from '../../backend/src/services/schedules';
import { apiSession, expectAccessible, screenshot, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';
import { enrollDevices, finishExecution, inventoryAction, type Call } from './seed';

let h: ConsoleHarness;
let admin: Call;

beforeAll(async () => {
  h = await startConsoleHarness();
  admin = await apiSession(h.url);
  expect((await admin('POST', '/api/v1/actions', inventoryAction)).status).toBe(201);
  await enrollDevices(h.url, admin, [
    { name: 'pc-low-1', platform: 'linux', facts: { disk: { free_pct: 5 } } },
    { name: 'pc-low-2', platform: 'linux', facts: { disk: { free_pct: 3 } } },
    { name: 'pc-ok', platform: 'windows', facts: { disk: { free_pct: 60 } } },
  ]);
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

describe('automation', () => {
  it('creates a schedule, previews its devices and shows its runs', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.goto('/schedules');
    await page.getByRole('heading', { name: 'No schedules yet' }).waitFor();
    await page.getByRole('link', { name: 'New schedule' }).click();
    await page.getByLabel('Name', { exact: false }).first().fill('Inventory every 15 minutes');
    await page.getByLabel('Action', { exact: true }).selectOption(inventoryAction.slug);
    await page.getByLabel('Drive').fill('D:');
    const target = page.getByRole('textbox', { name: 'Target' });
    await target.fill('devices | where platform = "linux"');
    await page.getByRole('button', { name: 'Show matching devices' }).click();
    await page.locator('.query-mark').waitFor();
    await target.fill('devices | where platform == "linux"');
    await page.getByRole('button', { name: 'Show matching devices' }).click();
    await page.getByText('2 devices match now: pc-low-1, pc-low-2.').waitFor();
    // device time goes with a cron expression; the time zone choice appears with it
    await page.getByLabel('Timing').selectOption('cron');
    await page.getByLabel('Time zone').selectOption('device');
    await page.getByText('envelopes reach devices up to 14 hours ahead').waitFor();
    await page.getByLabel('Timing').selectOption('interval');
    expect(await page.getByLabel('Time zone').count()).toBe(0);
    await page.getByLabel('Every').fill('15');
    await page.getByLabel('Unit').selectOption('minutes');
    await page.getByLabel('Spread over (minutes)').fill('5');
    // failure damping is on by default: 10 failures, then 12 hours
    expect(await page.getByLabel('Skip devices that keep failing').isChecked()).toBe(true);
    expect(await page.getByLabel('Failures in a row').inputValue()).toBe('10');
    expect(await page.getByLabel('Then skip for (hours)').inputValue()).toBe('12');
    await page.getByLabel('Failures in a row').fill('3');
    await screenshot(page, 'schedule-new');
    await expectAccessible(page, 'schedule editor');
    await page.getByRole('button', { name: 'Create schedule' }).click();
    await waitForNotice(page, 'Schedule “Inventory every 15 minutes” saved.');
    await page.getByText('It has not run yet.').waitFor();
    await page.getByText(/every 15 minutes · spread over 5 min/).waitFor();
    expect(await page.getByLabel('Failures in a row').inputValue()).toBe('3');

    // Fire it from the backend's clock, a quarter of an hour on.
    const realNow = h.backend.ctx.now;
    h.backend.ctx.now = () => new Date(Date.now() + 16 * 60_000);
    try {
      expect(await runDueSchedules(h.backend.ctx)).toBe(1);
    } finally {
      h.backend.ctx.now = realNow;
    }
    await page.reload();
    const runs = page.getByRole('table', { name: 'Runs' });
    await expect.poll(() => runs.locator('tbody tr').first().textContent()).toMatch(/220launch 1/);
    await screenshot(page, 'schedule');
    await expectAccessible(page, 'schedule');
    await page.getByRole('button', { name: 'Disable' }).click();
    await waitForNotice(page, 'Schedule disabled.');
    await page.goto('/schedules');
    await page.getByRole('row', { name: /Inventory every 15 minutes/ }).getByText('disabled').waitFor();
    await screenshot(page, 'schedules');
    await expectAccessible(page, 'schedules');
    expect(problems).toEqual([]);
  });

  it('creates a detection rule that fires, trips its breaker and is resumed; a dry run explains each device', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.goto('/detections');
    await page.getByRole('heading', { name: 'No detection rules yet' }).waitFor();
    await page.getByRole('link', { name: 'New detection rule' }).click();
    await page.getByLabel('Name', { exact: false }).first().fill('Low disk');
    const condition = page.getByRole('textbox', { name: 'Condition' });
    await condition.fill('disk.free_pct < 10 | limit 1');
    await page.getByRole('button', { name: 'Show devices matching now' }).click();
    await page.getByText('1 device matches now: pc-low-1.').waitFor();
    // a system run that asks the user through a campaign: self-help, so a decline is no failure
    await page.getByLabel('Self-help, run as the system', { exact: true }).check();
    await page.getByLabel('Action', { exact: true }).selectOption(inventoryAction.slug);
    await page.getByLabel('Canary (% of matching devices)').fill('0');
    await page.getByLabel('Results looked at').fill('1');
    await page.getByLabel('Fewest results').fill('1');
    await page.getByRole('button', { name: 'Create rule' }).click();
    // A condition is one where-clause: the backend's positioned error lands on the extra stage.
    await expect.poll(() => page.locator('.query-mark').textContent()).toBe('limit 1');
    await page.getByTestId('query-error').getByText(/a condition cannot add stages/).waitFor();
    await condition.fill('disk.free_pct < 10');
    await screenshot(page, 'detection-new');
    await expectAccessible(page, 'detection editor');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await waitForNotice(page, 'Detection rule “Low disk” saved.');

    // The rule fires on both low-disk devices. A user declines on one (exit code 10): neutral, the breaker holds.
    // The other run fails and the breaker (1 result, 50 %) pauses it.
    let fired: { id: string; deviceId: string }[] = [];
    await expect.poll(async () => (fired = (await admin('GET', '/api/v1/executions?trigger=detection')).body.items).length, { timeout: 15_000 }).toBe(2);
    const ruleId = (await admin('GET', '/api/v1/detections')).body.items[0].id;
    expect((await admin('GET', `/api/v1/detections/${ruleId}`)).body).toMatchObject({ runAs: 'system', selfHelp: true });
    await finishExecution(h.backend.ctx, fired[1]!, { status: 'failed', exitCode: 10, stderr: 'the user declined' });
    await expect.poll(async () => (await admin('GET', `/api/v1/detections/${ruleId}/health`)).body.neutral, { timeout: 15_000 }).toBe(1);
    expect((await admin('GET', '/api/v1/detections')).body.items[0].pausedByBreaker).toBe(false);
    await finishExecution(h.backend.ctx, fired[0]!, { status: 'failed', stderr: 'disk is read-only' });
    await expect.poll(async () => (await admin('GET', '/api/v1/detections')).body.items[0].pausedByBreaker, { timeout: 15_000 }).toBe(true);
    await page.reload();
    await page.getByText('Paused by its circuit breaker.').waitFor();
    const runs = page.getByRole('table', { name: 'Latest runs started by this rule' });
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(2);
    await runs.getByRole('cell', { name: 'Declined by the user (neutral)', exact: true }).waitFor();
    await runs.getByRole('cell', { name: 'Failed', exact: true }).waitFor();
    await page.getByTestId('neutral-outcomes').getByText(/declined by the user 1/).waitFor();
    // the executions page shows the declined run as its own outcome, and filters on it
    await page.goto('/executions?trigger=detection');
    const executions = page.getByTestId('executions');
    await executions.getByTestId('neutral-outcome').filter({ hasText: 'Declined by the user (neutral)' }).waitFor();
    await expect.poll(() => executions.locator('tbody tr').count()).toBe(2);
    await page.getByLabel('Status', { exact: true }).selectOption('neutral:declined');
    await page.waitForURL(/outcome=declined/);
    await expect.poll(() => executions.locator('tbody tr').count()).toBe(1);
    expect(await executions.getByTestId('neutral-outcome').count()).toBe(1);
    // and the execution's own page shows it beside the status
    await executions.getByRole('link', { name: /^Execution of / }).click();
    await page.getByTestId('neutral-outcome').filter({ hasText: 'Declined by the user (neutral)' }).waitFor();
    await page.goto(`/detections/${ruleId}`);
    await page.getByText('Paused by its circuit breaker.').waitFor();
    await page.getByRole('button', { name: 'Run a dry run' }).click();
    await expect.poll(() => page.getByTestId('dry-run').textContent()).toMatch(/2 devices match; 0 would fire now/);
    await screenshot(page, 'detection');
    await expectAccessible(page, 'detection');
    await page.getByRole('button', { name: 'Resume the rule' }).click();
    await page.getByText(/^Breaker closed/).waitFor();
    await page.getByText(/self-help, run as the system: runs/).waitFor();
    await page.goto('/detections');
    await page.getByRole('row', { name: /Low disk.*self-help/ }).waitFor();
    await screenshot(page, 'detections');
    await expectAccessible(page, 'detections');
    expect(problems).toEqual([]);
  });

  it('creates an enrollment token with tags, shows it once, and revokes it', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.getByRole('link', { name: 'Enrollment tokens' }).click();
    await page.getByRole('button', { name: 'New enrollment token' }).click();
    await page.getByLabel('Description').fill('Paris laptops');
    await page.getByLabel('Tags').fill('site:paris, Dept Sales');
    await page.getByLabel('One device only').uncheck();
    await page.getByLabel('Most devices').fill('10');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('.field-error', { hasText: 'lower-case tag' }).waitFor();
    await page.getByLabel('Tags').fill('site:paris, dept:sales');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('secret-value').textContent())!;
    await screenshot(page, 'enrollment-token-created');
    const enrolled = await enrollDevicesWith(token);
    expect(enrolled).toBe(201);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.reload();
    const row = page.getByRole('row', { name: /Paris laptops/ });
    await expect.poll(() => row.textContent()).toMatch(/site:paris, dept:sales1 of 10/);
    expect(await page.content()).not.toContain(token);
    await screenshot(page, 'enrollment-tokens');
    await expectAccessible(page, 'enrollment tokens');
    await page.getByRole('button', { name: 'Revoke Paris laptops' }).click();
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    await waitForNotice(page, 'Token Paris laptops revoked.');
    await expect.poll(() => row.textContent()).toContain('revoked');
    expect(await enrollDevicesWith(token)).toBeGreaterThanOrEqual(400);
    const device = (await admin('GET', '/api/v1/devices?search=pc-paris-9')).body.items[0];
    expect(device.tags).toEqual(['site:paris', 'dept:sales']);
    expect(problems).toEqual([]);
  });
});

async function enrollDevicesWith(token: string): Promise<number> {
  const { generateKeyPairSync } = await import('node:crypto');
  const { publicKey } = generateKeyPairSync('ed25519');
  const res = await fetch(`${h.url}/api/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), name: 'pc-paris-9', platform: 'macos', osVersion: '14.5', agentVersion: '0.1.0' }),
  });
  return res.status;
}
