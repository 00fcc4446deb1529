/**
 * What the extension must refuse, in real Chromium: actions the user's role does not list stay hidden and cannot be
 * launched, and forged runtime messages (from a page, from a content script on a tab that never looked the device
 * up, from the extension's own page) launch nothing.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startExtensionHarness, type ExtensionHarness } from './harness';
import { deviceName, strangerTicket, ticketPages } from './tickets';

let h: ExtensionHarness;

beforeAll(async () => {
  h = await startExtensionHarness();
  await h.setUp();
});

afterAll(async () => {
  await h?.close();
});

/** Runs `expression` in the extension's content-script world of `page` (through the DevTools protocol). */
async function inContentScript(page: Page, expression: string): Promise<unknown> {
  const cdp = await page.context().newCDPSession(page);
  const worlds: { id: number; origin: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', (e) => worlds.push(e.context));
  await cdp.send('Runtime.enable');
  const world = worlds.find((w) => w.auxData?.type === 'isolated' && w.origin === `chrome-extension://${h.extensionId}`);
  if (!world) throw new Error('no content-script world on the page');
  const result = await cdp.send('Runtime.evaluate', { expression, contextId: world.id, awaitPromise: true, returnByValue: true });
  await cdp.detach();
  return result.result.value;
}

const launchMessage = (action: string) => ({ type: 'launch', action, deviceId: h.deviceId, parameters: { Who: 'mallory' } });

/** Opens a ticket, renders it and opens the panel; resolves once the panel has looked the device up. */
async function openPanel(ticket = ticketPages[3]!, device = deviceName): Promise<Page> {
  const page = await h.openShell(ticket);
  await h.renderTicket(page, ticket, device);
  await page.locator('fixpoint-launcher .fp-dock-toggle').click();
  return page;
}

async function expectNothingLaunched(attempt: () => Promise<unknown>): Promise<unknown> {
  const [executions, launches] = [await h.executionCount(), (await h.launches()).length];
  const answer = await attempt();
  // Give a launch that slipped through time to land before counting.
  await new Promise((r) => setTimeout(r, 300));
  expect(await h.executionCount()).toBe(executions);
  expect((await h.launches()).length).toBe(launches);
  return answer;
}

describe('the extension refuses', () => {
  it('to show or launch an action the role does not list', async () => {
    const page = await openPanel();
    const panel = page.locator('fixpoint-launcher #fp-dock-panel');
    await panel.getByRole('button', { name: /^Greet/ }).waitFor();
    expect(await panel.getByRole('button', { name: /Reset profile/ }).count()).toBe(0);
    await screenshot(page, 'role-limited-actions');
    // The tab did look the device up, so only the backend's role check stands in the way.
    const answer = await expectNothingLaunched(() => inContentScript(page, `chrome.runtime.sendMessage(${JSON.stringify(launchMessage('reset-profile'))})`));
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.not.stringMatching(/looked up on this page/) } });
    await page.close();
  });

  it('a forged launch from a content script whose tab never looked the device up', async () => {
    const page = await openPanel(strangerTicket, 'PC-FIN-0107');
    await page.locator('fixpoint-launcher #fp-dock-panel').getByText('No device matches').waitFor();
    const answer = await expectNothingLaunched(() => inContentScript(page, `chrome.runtime.sendMessage(${JSON.stringify(launchMessage('greet'))})`));
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/looked up on this page/) } });
    await page.close();
  });

  it('a forged launch from the page itself, which has no channel to the extension', async () => {
    const page = await openPanel();
    await page.locator('fixpoint-launcher #fp-dock-panel').getByRole('button', { name: /^Greet/ }).waitFor();
    const answer = await expectNothingLaunched(() =>
      page.evaluate(async ({ id, message }) => {
        const runtime = (globalThis as { chrome?: { runtime?: typeof chrome.runtime } }).chrome?.runtime;
        if (!runtime?.sendMessage) return 'no runtime';
        try {
          return await runtime.sendMessage(id, message);
        } catch (err) {
          return `refused: ${String(err)}`;
        }
      }, { id: h.extensionId, message: launchMessage('greet') }),
    );
    expect(answer === 'no runtime' || String(answer).startsWith('refused')).toBe(true);
    await page.close();
  });

  it("a forged launch from the extension's own page", async () => {
    const page = await h.context.newPage();
    await page.goto(`chrome-extension://${h.extensionId}/options.html`);
    const answer = await expectNothingLaunched(() => page.evaluate((message) => chrome.runtime.sendMessage(message), launchMessage('greet')));
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/top frame of a ticket page|configured sites/) } });
    await page.close();
  });
});
