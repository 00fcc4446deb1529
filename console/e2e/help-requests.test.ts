/**
 * The Help requests screen: what users sent from their tray's "Get help", with the device, the user, the facts at a
 * glance and a link to the screenshot they included; reached from the navigation, accessible.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordHelpRequest } from '../../backend/src/services/help';
import { insertDevice } from '../../backend/src/testing/campaigns';
import { expectAccessible, screenshot, startConsoleHarness, type ConsoleHarness } from './harness';

let h: ConsoleHarness;
let helpId: string;

beforeAll(async () => {
  h = await startConsoleHarness();
  const ctx = h.backend.ctx;
  const device = await insertDevice({ ctx }, { name: 'pc-ana', platform: 'linux', user: 'ana' });
  ({ id: helpId } = await recordHelpRequest(ctx, {
    deviceId: device,
    request: { user: 'ana', subject: 'Printer prints blank pages', description: 'Since this morning.', screenshot: { mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
  }));
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

describe('help requests', () => {
  it('lists what users asked for, with the device and the screenshot', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Help requests', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Help requests' }).waitFor();
    const row = page.getByRole('row', { name: /Printer prints blank pages/ });
    await row.waitFor();
    await expect.poll(() => row.getByRole('link', { name: 'pc-ana', exact: true }).count()).toBe(1);
    expect(await row.getByRole('link', { name: /^Open \(1 KB\)$/ }).getAttribute('href')).toBe(`/api/v1/help-requests/${helpId}/screenshot`);
    expect(await row.getByRole('cell', { name: 'ana', exact: true }).count()).toBe(1);
    await expectAccessible(page, 'help requests');
    await screenshot(page, 'help-requests');
    expect(problems).toEqual([]);
  });
});
