/**
 * Editing a saved campaign: the editor opens on the stored version, its preview shows it, and "Save new version"
 * adds version 2 with the change, as an author meets it after the first save.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sampleCampaign } from '@fixpoint/protocol/testing';
import { apiSession, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';
import type { Call } from './seed';

let h: ConsoleHarness;
let admin: Call;

beforeAll(async () => {
  h = await startConsoleHarness();
  admin = await apiSession(h.url);
  const created = await admin('POST', '/api/v1/campaigns', sampleCampaign());
  expect(created.status, JSON.stringify(created.body)).toBe(201);
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

describe('campaign editing', () => {
  it('edits an existing campaign and saves a new version', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.goto('/campaigns/laptop-survey');
    await page.getByRole('heading', { level: 1, name: 'Laptop survey' }).waitFor();
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit Laptop survey' }).waitFor();

    // The preview shows the stored version's first question, not a refusal of the version's own fields.
    const preview = page.getByTestId('campaign-preview');
    await page.locator('[data-testid="campaign-preview"][aria-busy="false"]').waitFor();
    await preview.getByText('we would like to know how').waitFor();
    expect(await preview.getByText('cannot be shown').count()).toBe(0);

    await page.getByLabel('Name', { exact: false }).first().fill('Laptop survey 2025');
    await page.getByLabel('Shown after the last answer').fill('Thanks, that helps us choose the next laptops.');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await waitForNotice(page, 'Campaign “Laptop survey 2025” saved as version 2.');
    await page.getByRole('heading', { level: 1, name: 'Laptop survey 2025' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/campaigns/laptop-survey');

    const saved = await admin('GET', '/api/v1/campaigns/laptop-survey');
    expect(saved.body).toMatchObject({ latestVersion: 2, name: 'Laptop survey 2025' });
    expect(saved.body.current.finalMessage.en).toBe('Thanks, that helps us choose the next laptops.');
    // Everything not edited is kept as it was in version 1.
    expect(saved.body.current.questions.map((q: { id: string }) => q.id)).toEqual(sampleCampaign().questions.map((q) => q.id));
    expect(problems).toEqual([]);
  });
});
