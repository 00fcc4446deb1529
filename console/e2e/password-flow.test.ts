/** A user whose password an admin reset must set their own right after signing in, then lands where they were going. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiSession, expectAccessible, screenshot, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';

let h: ConsoleHarness;
beforeAll(async () => {
  h = await startConsoleHarness();
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

describe('password flow', () => {
  it('asks for a new password after an admin reset, then proceeds; the account page changes it again', async () => {
    const asAdmin = await apiSession(h.url);
    const created = await asAdmin('POST', '/api/v1/users', { email: 'riley@example.com', name: 'Riley', password: 'initial-password-1', roles: ['viewer'] });
    expect(created.status).toBe(201);
    expect((await asAdmin('PATCH', `/api/v1/users/${created.body.id}`, { password: 'reset-by-admin-1' })).status).toBe(200);

    const { page, problems } = await h.newPage();
    await page.goto('/login');
    await page.getByLabel('E-mail').fill('riley@example.com');
    await page.getByLabel('Password').fill('reset-by-admin-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await expectAccessible(page, 'set-password');
    await screenshot(page, 'set-password');

    // Mistakes are caught in the page and by the backend; nothing proceeds until the change is made.
    await page.getByLabel('Current password').fill('reset-by-admin-1');
    await page.getByLabel('New password (required)', { exact: true }).fill('riley-own-pass-1');
    await page.getByLabel('New password again').fill('riley-own-pass-2');
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    await page.getByText('the two new passwords differ').waitFor();
    await page.getByLabel('Current password').fill('not-the-password');
    await page.getByLabel('New password again').fill('riley-own-pass-1');
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    await page.getByText('the current password is wrong').waitFor();

    await page.getByLabel('Current password').fill('reset-by-admin-1');
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/devices');

    // The account page changes it again and says what that ended.
    await page.goto('/account/tokens');
    await page.getByRole('heading', { name: 'Password' }).waitFor();
    await page.getByLabel('Current password').fill('riley-own-pass-1');
    await page.getByLabel('New password (required)', { exact: true }).fill('riley-own-pass-3');
    await page.getByLabel('New password again').fill('riley-own-pass-3');
    await page.getByRole('button', { name: 'Change password' }).click();
    await waitForNotice(page, /Password changed\. Ended 0 other session\(s\) and revoked 0 token\(s\)/);
    expect(problems).toEqual([]);
    const asRiley = await apiSession(h.url, 'riley@example.com', 'riley-own-pass-3');
    expect((await asRiley('GET', '/api/v1/auth/me')).body.mustChangePassword).toBe(false);
  });
});
