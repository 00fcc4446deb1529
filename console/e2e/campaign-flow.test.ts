/**
 * An author builds a campaign with branching in the console and follows it in the live preview (the tray client's
 * own elements), then publishes it, sends it to devices and reads the results as charts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { recordResponse } from '../../backend/src/services/campaigns';
import { apiSession, expectAccessible, screenshot, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';
import { enrollDevices, type Call } from './seed';

let h: ConsoleHarness;
let admin: Call;
let devices: Record<string, string>;
const ines = { email: 'ines@example.com', password: 'author-password-1' };

beforeAll(async () => {
  h = await startConsoleHarness();
  admin = await apiSession(h.url);
  devices = await enrollDevices(h.url, admin, [
    { name: 'lt-ana', platform: 'windows', facts: { logged_in_user: 'ana' } },
    { name: 'lt-bob', platform: 'macos', facts: { logged_in_user: 'bob' } },
  ]);
  const user = await admin('POST', '/api/v1/users', { email: ines.email, name: 'Ines Author', password: ines.password, roles: ['author', 'support'] });
  expect(user.status).toBe(201);
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

const card = (page: Page, n: number) => page.getByRole('group', { name: new RegExp(`^Question ${n} \\(`) });
const prompt = (page: Page) => page.getByTestId('campaign-preview');
/** The preview shows the last edit (it waits a moment after typing before it restarts). */
const settled = (page: Page) => page.locator('[data-testid="campaign-preview"][aria-busy="false"]').waitFor();

async function answer(preview: Locator, choice: string) {
  await preview.getByRole('radio', { name: choice }).click();
  await preview.getByRole('button', { name: /^(Next|Finish|Suivant|Terminer)$/ }).click();
}

describe('campaign authoring', () => {
  it('builds a campaign with branching and follows it in the preview', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page, ines.email, ines.password);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { name: 'No campaigns yet' }).waitFor();
    await screenshot(page, 'campaigns-empty');
    await page.getByRole('link', { name: 'New campaign', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'New campaign' }).waitFor();

    await page.getByLabel('Name', { exact: false }).first().fill('Laptop check');
    await page.getByLabel('Slug').fill('laptop-check');
    const q1 = card(page, 1);
    await q1.getByRole('textbox', { name: 'Question', exact: true }).fill('Is **your laptop** fast enough?');
    await page.getByLabel('New question type').selectOption('multiple');
    await page.getByRole('button', { name: 'Add question' }).click();
    const q2 = card(page, 2);
    await q2.getByRole('textbox', { name: 'Question', exact: true }).fill('What is slow?');
    await q2.getByRole('group', { name: 'Question 2, choice 1' }).getByLabel('Label').fill('Starting up');
    await q2.getByRole('group', { name: 'Question 2, choice 1' }).getByLabel('Id').fill('startup');
    await q2.getByRole('group', { name: 'Question 2, choice 2' }).getByLabel('Label').fill('Video calls');
    await q2.getByRole('group', { name: 'Question 2, choice 2' }).getByLabel('Id').fill('calls');
    await page.getByLabel('New question type').selectOption('nps');
    await page.getByRole('button', { name: 'Add question' }).click();
    const q3 = card(page, 3);
    await q3.getByRole('textbox', { name: 'Question', exact: true }).fill('Would you recommend IT support to a colleague?');
    await q3.getByRole('textbox', { name: 'Id', exact: true }).fill('recommend');
    // Branching: "yes" skips the follow-up question; promoters go straight to the end.
    await q1.getByRole('group', { name: 'Question 1, choice 1' }).getByLabel('Then go to').selectOption('recommend');
    await q3.getByLabel('Promoters (9–10) go to').selectOption('end');
    await page.getByLabel('Shown after the last answer').fill('Thank you, {user}!');

    // A second language, with the default language shown as a hint.
    await page.getByLabel('Add a language').fill('fr');
    await page.getByRole('button', { name: 'Add language' }).click();
    await q1.getByRole('textbox', { name: 'Question (fr)' }).fill('Votre portable est-il assez rapide ?');
    await q1.getByText('In en: “Is **your laptop** fast enough?”').waitFor();
    await page.getByLabel('Edit texts in').selectOption('en');

    const preview = prompt(page);
    await settled(page);
    await preview.getByText('Is your laptop fast enough?').waitFor();
    expect(await preview.locator('strong', { hasText: 'your laptop' }).count()).toBe(1);
    await answer(preview, 'Yes');
    await preview.getByText('Would you recommend IT support to a colleague?').waitFor();
    expect(await preview.getByText('What is slow?').count()).toBe(0);
    await preview.getByRole('button', { name: 'Back' }).click();
    await answer(preview, 'No');
    await preview.getByText('What is slow?').waitFor();
    await preview.getByRole('checkbox', { name: 'Video calls' }).click();
    await preview.getByRole('button', { name: 'Next' }).click();
    await preview.getByRole('radio', { name: /^10\b/ }).click();
    await preview.getByRole('button', { name: 'Finish' }).click();
    await preview.getByText('Thank you, Ana!').waitFor();
    await page.getByRole('status').filter({ hasText: 'The prompt ended: fully' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'The prompt ended' }).textContent()).toContain('q2: calls');

    // The preview follows the language and restarts on request.
    await page.getByRole('button', { name: 'Start over' }).click();
    await page.getByTestId('campaign-preview').locator('xpath=ancestor::section[1]').getByLabel('Language').selectOption('fr');
    await settled(page);
    await preview.getByText('Votre portable est-il assez rapide ?').waitFor();
    await screenshot(page, 'campaign-editor');
    await expectAccessible(page, 'campaign editor');

    await page.getByRole('button', { name: 'Create campaign' }).click();
    await waitForNotice(page, 'Campaign “Laptop check” saved as version 1.');
    await page.getByRole('heading', { level: 1, name: 'Laptop check' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/campaigns/laptop-check');
    expect(problems).toEqual([]);
  });

  it('publishes it, sends it to devices and charts the results', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page, ines.email, ines.password);
    await page.goto('/campaigns/laptop-check');
    await page.getByText('Nobody has been asked yet.').waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('button', { name: 'Publish' }).click();
    await waitForNotice(page, 'Campaign published.');
    await page.getByRole('button', { name: 'Send…' }).click();
    await page.getByRole('textbox', { name: 'Devices' }).fill('devices | whre x');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.query-mark', { hasText: 'whre' }).waitFor();
    await page.getByRole('textbox', { name: 'Devices' }).fill('devices | sort name');
    await page.getByLabel('Users').fill('carol');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const results = page.getByTestId('trigger-results');
    await results.waitFor();
    expect(await page.getByText('2 requests queued').count()).toBe(1);
    expect(await results.textContent()).toMatch(/lt-anaQueued.*lt-bobQueued.*user carolNot found/);
    // The results follow what was sent.
    await page.getByRole('table', { name: 'Requests (2)' }).waitFor();
    await screenshot(page, 'campaign-trigger');
    await expectAccessible(page, 'campaign trigger');

    const requests = (await admin('GET', '/api/v1/campaigns/laptop-check/requests')).body.items as { id: string; deviceId: string }[];
    expect(requests).toHaveLength(2);
    const [first, second] = requests;
    await recordResponse(h.backend.ctx, { requestId: first!.id, deviceId: first!.deviceId, state: 'fully', answers: { q1: ['yes'], recommend: ['10'] }, freeText: {}, user: 'Ana', language: 'en' });
    await recordResponse(h.backend.ctx, { requestId: second!.id, deviceId: second!.deviceId, state: 'fully', answers: { q1: ['no'], q2: ['calls', 'startup'], recommend: ['3'] }, freeText: {}, user: 'Bob', language: 'fr' });

    await page.reload();
    await page.getByRole('table', { name: 'Requests (2)' }).waitFor();
    expect(await page.getByRole('table', { name: 'Answers to q1' }).textContent()).toMatch(/Yes1 ?50 %.*No1 ?50 %/);
    expect(await page.getByRole('table', { name: 'Answers to q2' }).textContent()).toMatch(/Starting up1.*Video calls1/);
    await page.getByText('NPS 0').waitFor();
    expect(await page.getByText('1 promoter (9–10), 0 passives (7–8), 1 detractor (0–6) of 2 answers.').count()).toBe(1);
    expect(await page.getByRole('img', { name: 'NPS 0 on a scale from −100 to 100' }).count()).toBe(1);
    await screenshot(page, 'campaign');
    await expectAccessible(page, 'campaign');

    // The device page lists what its user answered.
    await page.goto(`/devices/${devices['lt-ana']}`);
    await page.getByRole('heading', { name: 'Campaign responses' }).waitFor();
    await expect.poll(() => page.locator('section', { hasText: 'Campaign responses' }).last().textContent()).toMatch(/Laptop check/);

    await page.goto('/campaigns');
    await page.getByRole('link', { name: 'Laptop check' }).waitFor();
    await screenshot(page, 'campaigns');
    await expectAccessible(page, 'campaigns');
    expect(problems).toEqual([]);
  });

  it('adds a standing trigger narrowed to a saved query, which then cannot be deleted', async () => {
    const saved = await admin('POST', '/api/v1/saved-queries', { name: 'Windows laptops', query: 'devices | where platform == "windows"' });
    expect(saved.status).toBe(201);
    const { page, problems } = await h.newPage();
    await h.signIn(page, ines.email, ines.password);
    await page.goto('/campaigns/laptop-check');
    const panel = page.locator('section', { has: page.getByRole('heading', { name: 'Standing triggers' }) });
    await panel.getByText('No standing triggers.').waitFor();
    await panel.getByRole('textbox', { name: 'Query of the trigger' }).fill('devices | sort name');
    await panel.getByLabel('Only devices in the saved query').selectOption({ label: 'Windows laptops' });
    await panel.getByLabel('How often').selectOption('repeat');
    await panel.getByLabel('Again after (days)').fill('14');
    await panel.getByRole('button', { name: 'Add trigger' }).click();
    const table = page.getByTestId('campaign-schedules');
    await table.waitFor();
    expect(await table.textContent()).toMatch(/devices \| sort nameWindows laptopsagain after 14 daysnever/);
    await screenshot(page, 'campaign-schedules');
    await expectAccessible(page, 'campaign schedules');

    const listed = (await admin('GET', '/api/v1/campaigns/laptop-check/schedules')).body.items;
    expect(listed).toMatchObject([{ query: 'devices | sort name', savedQuery: { id: saved.body.id, name: 'Windows laptops' }, mode: 'repeat', repeatAfterDays: 14 }]);
    const refused = await admin('DELETE', `/api/v1/saved-queries/${saved.body.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('campaign schedule of laptop-check');

    await table.getByRole('button', { name: 'Remove the trigger on devices | sort name' }).click();
    await panel.getByRole('group', { name: 'Remove this standing trigger?' }).getByRole('button', { name: 'Remove' }).click();
    await panel.getByText('No standing triggers.').waitFor();
    expect((await admin('DELETE', `/api/v1/saved-queries/${saved.body.id}`)).status).toBe(204);
    expect(problems).toEqual([]);
  });

  it('answers waiting for a user where nobody is logged in, and counts answered and no user apart in the results', async () => {
    // its agent reports that nobody is logged in
    const kiosk = (await enrollDevices(h.url, admin, [{ name: 'kiosk-1', platform: 'linux', facts: { logged_in_user: null } }]))['kiosk-1']!;
    const { page, problems } = await h.newPage();
    await h.signIn(page, ines.email, ines.password);
    await page.goto('/campaigns/laptop-check');
    await page.getByRole('button', { name: 'Send…' }).click();
    await page.getByRole('textbox', { name: 'Devices' }).fill('devices | where name == "kiosk-1"');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const sent = page.getByTestId('trigger-results');
    await sent.waitFor();
    expect(await sent.textContent()).toMatch(/kiosk-1Queued: nobody is logged in; shown at the next login/);
    const [request] = (await admin('GET', `/api/v1/campaigns/laptop-check/requests?deviceId=${kiosk}`)).body.items as { id: string }[];
    await recordResponse(h.backend.ctx, { requestId: request!.id, deviceId: kiosk, state: 'no_user' });
    await page.reload();
    const ended = page.getByRole('table', { name: 'How prompts ended' });
    await expect.poll(() => ended.textContent()).toMatch(/Answered2.*No user logged in1/);
    expect(problems).toEqual([]);
  });
});
