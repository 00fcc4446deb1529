/**
 * Self-service in the console: an author offers an action to end users (the trigger, a title per language, the cooldown
 * and daily limit) in the action editor, and the action's page lists how users ran it from the tray.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runSelfService } from '../../backend/src/services/self-service';
import { apiSession, expectAccessible, screenshot, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';
import { enrollDevices } from './seed';

let h: ConsoleHarness;
let admin: Awaited<ReturnType<typeof apiSession>>;
let devices: Record<string, string>;

beforeAll(async () => {
  h = await startConsoleHarness();
  admin = await apiSession(h.url);
  devices = await enrollDevices(h.url, admin, [{ name: 'host-01', platform: 'linux' }]);
  const created = await admin('POST', '/api/v1/actions', {
    slug: 'clear-temp-files',
    name: 'Clear temporary files',
    purpose: 'remediation',
    scripts: { linux: { shell: 'sh', source: 'echo cleared' } },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

describe('self-service actions', () => {
  it('an author offers an action in the tray, and its page lists who ran it', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.goto('/actions/clear-temp-files');
    await page.getByRole('checkbox', { name: /self_service/ }).check();
    await page.getByRole('heading', { name: 'Self-service', exact: true }).waitFor();
    await page.getByLabel('Title (en)').fill('Clear temporary files');
    await page.getByLabel('What it does (en)').fill('Deletes the temporary files of this computer.');
    await page.getByLabel('Cooldown (seconds)').fill('60');
    await page.getByLabel('Daily limit').fill('3');
    await expectAccessible(page, 'the action editor with self-service');
    await screenshot(page, 'action-self-service-editor');
    await page.getByRole('button', { name: 'Save new version', exact: true }).click();
    await waitForNotice(page, /saved|version 2/i);
    const saved = await admin('GET', '/api/v1/actions/clear-temp-files');
    expect(saved.body.current).toMatchObject({
      triggers: expect.arrayContaining(['self_service']),
      selfService: { title: { en: 'Clear temporary files' }, description: { en: 'Deletes the temporary files of this computer.' }, cooldownSec: 60, dailyLimit: 3 },
    });

    // a user runs it from the tray (what the agent channel's handler does)
    await runSelfService(h.backend.ctx, { deviceId: devices['host-01']!, action: 'clear-temp-files', user: 'ana' });
    await page.goto('/actions/clear-temp-files');
    const use = page.getByRole('region', { name: 'Self-service use' });
    await use.getByRole('row', { name: /ana/ }).waitFor();
    expect(await use.textContent()).toContain('1 runs in the last 24 hours, 1 in the last 30 days, by 1 user.');
    expect(await use.getByRole('row', { name: /ana/ }).textContent()).toContain('host-01');
    await expectAccessible(page, 'the action page with its self-service use');
    await screenshot(page, 'action-self-service-use');
    expect(problems).toEqual([]);
  }, 120_000);
});
