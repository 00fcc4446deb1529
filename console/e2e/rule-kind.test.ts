/**
 * The rule editor's kind field in Chromium: a kind the chosen action cannot serve, and a rule the server refuses (its
 * saver may not run the action), are shown on the form as clear errors, and nothing is saved.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession, startConsoleHarness, type ConsoleHarness } from './harness';
import { inventoryAction, type Call } from './seed';

let h: ConsoleHarness;
let admin: Call;
const askUser = { ...inventoryAction, slug: 'ask-user', name: 'Ask the user', runAs: 'user' };
const editor = { email: 'eli@example.com', password: 'eli-password-123456' };

beforeAll(async () => {
  h = await startConsoleHarness();
  admin = await apiSession(h.url);
  for (const action of [inventoryAction, askUser]) expect((await admin('POST', '/api/v1/actions', action)).status).toBe(201);
  // edits every action, runs only ask-user
  const role = await admin('POST', '/api/v1/roles', { name: 'rule-editor', permissions: ['actions:edit', 'actions:run', 'devices:read'], runnableActions: ['ask-user'] });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  expect((await admin('POST', '/api/v1/users', { email: editor.email, name: 'Eli Editor', password: editor.password, roles: ['rule-editor'] })).status).toBe(201);
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

const savedRules = async () => (await admin('GET', '/api/v1/detections')).body.total as number;

async function newRule(page: Page, name: string, kind: string, action: string) {
  await page.goto('/detections/new');
  await page.getByLabel('Name', { exact: false }).first().fill(name);
  await page.getByRole('textbox', { name: 'Condition' }).fill('disk.free_pct < 10');
  await page.getByLabel(kind, { exact: true }).check();
  await page.getByLabel('Action', { exact: true }).selectOption(action);
}

describe('the rule kind field', () => {
  it('refuses a kind the action cannot serve, on the kind field, and saves nothing until it fits', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await newRule(page, 'Ask about the disk', 'Self-help, run as the logged-in user', inventoryAction.slug);
    await page.getByRole('button', { name: 'Create rule' }).click();
    const kind = page.getByRole('group', { name: 'Kind' });
    await kind.getByText('This action runs as the system: choose an action that runs as the user, or self-help run as the system.').waitFor();
    expect(await kind.getAttribute('aria-describedby')).toBeTruthy();
    expect(new URL(page.url()).pathname).toBe('/detections/new');
    // the other way round: an action that runs as the user on a rule that heals
    await page.getByLabel('Self-healing', { exact: true }).check();
    await page.getByLabel('Action', { exact: true }).selectOption(askUser.slug);
    await page.getByRole('button', { name: 'Create rule' }).click();
    await kind.getByText('This action runs as the logged-in user: choose self-help, run as the logged-in user.').waitFor();
    expect(await savedRules()).toBe(0);
    // once the kind fits, it saves
    await page.getByLabel('Self-help, run as the logged-in user', { exact: true }).check();
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.waitForURL(/\/detections\/[0-9a-f-]{36}$/);
    const [rule] = (await admin('GET', '/api/v1/detections')).body.items;
    expect(rule).toMatchObject({ name: 'Ask about the disk', runAs: 'user', selfHelp: true, actionSlug: 'ask-user' });
    expect(problems).toEqual([]);
  });

  it('shows what the server refuses (an action its saver may not run) on the form, and saves nothing', async () => {
    const before = await savedRules();
    const { page, problems } = await h.newPage();
    await h.signIn(page, editor.email, editor.password);
    await newRule(page, 'Asks as the system', 'Self-help, run as the system', inventoryAction.slug);
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.getByRole('alert').filter({ hasText: /may not run action collect-inventory/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/detections/new');
    expect(await savedRules()).toBe(before);
    // the form keeps what was typed, so the user can fix it
    expect(await page.getByLabel('Self-help, run as the system', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Name', { exact: false }).first().inputValue()).toBe('Asks as the system');
    // a 403 answer is expected in the browser's console; nothing else
    expect(problems.filter((p) => !/403/.test(p))).toEqual([]);
  });
});
