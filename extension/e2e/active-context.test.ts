/**
 * The traps of real ticketing workspaces, in real Chromium: background tickets mounted before the active one, tab
 * switches that only flip styles and aria-selected, and a device name that matches two inventory devices. A launch
 * must run on the shown ticket's device and be audited with that ticket; an ambiguous name must wait for a choice.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../backend/src/testing/live';
import { boxesHolding, screenshot, startExtensionHarness, type ExtensionHarness } from './harness';
import { ambiguousTicket, deviceName, polarisTicket, ticketBody, ticketPages, type TicketPage } from './tickets';

let h: ExtensionHarness;

beforeAll(async () => {
  h = await startExtensionHarness();
  await h.setUp();
});

afterAll(async () => {
  await h?.close();
});

const byAdapter = (id: string) => ticketPages.find((t) => t.adapter === id)!;
const panelOf = (page: Page) => page.locator('fixpoint-launcher #fp-dock-panel');
const dockLabel = (page: Page) => page.locator('fixpoint-launcher .fp-dock-toggle').textContent();

/** Launches `greet` from the open panel and resolves with the audit entry of the launch made for `ticketId`. */
async function launchGreet(page: Page, ticket: TicketPage, ticketId = ticket.ticketId) {
  const panel = panelOf(page);
  await panel.getByRole('button', { name: /^Greet/ }).click();
  await panel.getByLabel('Who').fill('zoe');
  await panel.getByRole('button', { name: 'Launch' }).click();
  return waitUntil(
    async () => (await h.launches()).find((e) => e.details.triggerInfo.externalSource === ticket.adapter && e.details.triggerInfo.externalReference === ticketId),
    10_000, `launch audit for ${ticketId}`,
  );
}

/**
 * Shows another tab the way each workspace does (styles and aria-selected flip; no node is added or removed) and
 * resolves with the dock's label two frames later: the frame the tab shows in, and the one the panel reads it in.
 */
function switchTab(page: Page, adapter: string, index: number): Promise<string> {
  return page.evaluate(({ adapter, index }) => {
    const deep = (root: Document | ShadowRoot, selector: string): HTMLElement[] => {
      const found = Array.from(root.querySelectorAll<HTMLElement>(selector));
      for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) found.push(...deep(el.shadowRoot, selector));
      return found;
    };
    const [panes, tabs] = adapter === 'zendesk'
      ? [deep(document, 'div.workspace'), deep(document, '[data-test-id="header-tab"]')]
      : [deep(document, 'sn-canvas-screen'), deep(document, '.sn-workspace-tab')];
    panes.forEach((p, i) => (p.style.display = i === index ? '' : 'none'));
    tabs.forEach((t, i) => t.setAttribute('aria-selected', String(i === index)));
    if (adapter === 'zendesk') history.pushState({}, '', `/agent/tickets/${['4702', '4709', '4711'][index]}`);
    const label = () => document.querySelector('fixpoint-launcher')?.shadowRoot?.querySelector('.fp-dock-toggle')?.textContent ?? '';
    return new Promise<string>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(label()))));
  }, { adapter, index });
}

/**
 * Makes the shown ticket's comment box behave like the tool's editor keeps its state: Zendesk's CKEditor 5 takes text
 * only from `beforeinput` and renders its model back over any other DOM change; ServiceNow's now-textarea learns the
 * value only from `input` events that reach it through its shadow root, and re-renders its textarea from that value.
 */
function installEditorModel(page: Page, adapter: string): Promise<void> {
  return page.evaluate((adapter) => {
    const deep = (root: Document | ShadowRoot, selector: string): HTMLElement[] => {
      const found = Array.from(root.querySelectorAll<HTMLElement>(selector));
      for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) found.push(...deep(el.shadowRoot, selector));
      return found;
    };
    if (adapter === 'zendesk') {
      const editor = deep(document, 'div.workspace:not([style*="none"]) [data-test-id="omnicomposer-rich-text-ckeditor"]')[0]!;
      let model: string[] = [];
      let rendering = false;
      const render = () => {
        rendering = true;
        editor.replaceChildren(...(model.length ? model : ['']).map((line) => Object.assign(document.createElement('p'), { textContent: line })));
        observer.takeRecords();
        rendering = false;
      };
      const observer = new MutationObserver(() => !rendering && render());
      editor.addEventListener('beforeinput', (e) => {
        e.preventDefault();
        if (e.inputType === 'insertText' && e.data) model = [...model, ...e.data.split('\n')];
        render();
      });
      observer.observe(editor, { childList: true, subtree: true, characterData: true });
    } else {
      const screen = deep(document, 'sn-canvas-screen').find((el) => el.style.display !== 'none')!;
      const host = deep(screen.shadowRoot!, 'now-textarea[name="work_notes"]')[0]!;
      const field = host.shadowRoot!.querySelector('textarea')!;
      let value = '';
      host.addEventListener('input', () => (value = field.value));
      const frame = () => {
        if (field.value !== value) field.value = value;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    }
  }, adapter);
}

describe('background tickets', () => {
  it.each(['servicenow-workspace', 'zendesk'])('%s: launches on the shown ticket device, audits that ticket, writes into its box, and follows a tab switch', async (adapter) => {
    const ticket = byAdapter(adapter);
    const page = await h.openShell(ticket);
    await h.renderTicket(page, ticket);
    await page.locator('fixpoint-launcher .fp-dock-toggle').click();
    await panelOf(page).getByRole('region', { name: `Device ${deviceName}` }).waitFor();
    const entry = await launchGreet(page, ticket);
    expect(entry.details.triggerInfo).toMatchObject({ externalReference: ticket.ticketId, externalDeviceName: deviceName });
    expect(await h.launchedDevices(entry.details.requestId)).toEqual([h.deviceId]);
    await panelOf(page).getByText('Succeeded').waitFor({ timeout: 30_000 });
    await installEditorModel(page, adapter);
    await panelOf(page).getByRole('button', { name: 'Insert into ticket' }).click();
    await panelOf(page).getByText('Inserted into the ticket').waitFor();
    expect(await boxesHolding(page, `Fixpoint: Greet on ${deviceName}`)).toBe(1);
    await screenshot(page, `${adapter}-background-tabs`);
    if (adapter === 'servicenow-workspace') {
      // A box that cannot take text (the record went read-only) is never written to; the panel offers the clipboard.
      await page.locator('sn-canvas-screen:not([style*="none"]) textarea[aria-label="Work notes"]').evaluate((el) => el.setAttribute('readonly', ''));
      await panelOf(page).getByRole('button', { name: 'Insert into ticket' }).click();
      await panelOf(page).getByText('This ticket shows no comment box that can take text.').waitFor();
      await panelOf(page).getByRole('button', { name: 'Copy instead' }).waitFor();
      expect(await boxesHolding(page, `Fixpoint: Greet on ${deviceName}`)).toBe(1);
    }

    // The first tab (mounted first in the document) names another enrolled device; the panel follows it at once.
    expect(await switchTab(page, adapter, 0)).toBe('Fixpoint · PC-HR-0031');
    const panel = panelOf(page);
    await panel.getByRole('region', { name: 'Device PC-HR-0031' }).waitFor();
    const switched = adapter === 'zendesk' ? '#4702' : 'INC0010019';
    await panel.getByText(switched).first().waitFor();
    if (adapter === 'zendesk') {
      // Background tabs parked off-screen or collapsed to zero size, instead of display:none, are still background.
      const label = await page.evaluate(() => {
        const [, second, third] = Array.from(document.querySelectorAll<HTMLElement>('div.workspace'));
        second!.style.cssText = 'display: block; position: absolute; left: -20000px; top: 0; width: 800px';
        third!.style.cssText = 'display: block; height: 0; overflow: hidden';
        const read = () => document.querySelector('fixpoint-launcher')?.shadowRoot?.querySelector('.fp-dock-toggle')?.textContent ?? '';
        return new Promise<string>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(read()))));
      });
      expect(label).toBe('Fixpoint · PC-HR-0031');
    }
    const second = await launchGreet(page, ticket, switched);
    expect(second.details.triggerInfo.externalDeviceName).toBe('PC-HR-0031');
    expect(await h.launchedDevices(second.details.requestId)).toEqual([h.otherDeviceIds['PC-HR-0031']]);
    await page.close();
  });
});

describe('ambiguous device names', () => {
  it('lists a short name and its FQDN, launches nothing until the agent picks, then audits both the choice and the page name', async () => {
    const page = await h.openShell(ambiguousTicket);
    await h.renderTicket(page, ambiguousTicket, 'LAPTOP-01');
    await page.locator('fixpoint-launcher .fp-dock-toggle').click();
    const panel = panelOf(page);
    await panel.getByText('2 devices match “LAPTOP-01”').waitFor();
    const fqdn = panel.getByRole('button', { name: 'Choose laptop-01.corp.example' });
    expect(await fqdn.textContent()).toMatch(/offline · (never seen|last seen .+) · 1/);
    expect(await panel.getByRole('button', { name: 'Choose LAPTOP-01', exact: true }).count()).toBe(1);
    // No device card and no action can be started before the choice.
    expect(await panel.getByRole('region', { name: /^Device / }).count()).toBe(0);
    expect(await panel.getByRole('button', { name: /^Greet/ }).count()).toBe(0);
    await screenshot(page, 'ambiguous-device');
    const before = await h.executionCount();

    await fqdn.click();
    await panel.getByRole('region', { name: 'Device laptop-01.corp.example' }).waitFor();
    expect(await h.executionCount()).toBe(before);
    const entry = await launchGreet(page, ambiguousTicket);
    expect(entry.details.triggerInfo.externalDeviceName).toBe('LAPTOP-01');
    expect(await h.launchedDevices(entry.details.requestId)).toEqual([h.otherDeviceIds['laptop-01.corp.example']]);
    expect(await dockLabel(page)).toBe('Fixpoint · LAPTOP-01');
    await page.close();
  });
});

describe('ServiceNow classic inside the Next Experience frame', () => {
  it('writes the summary into the journal box shown in the frame, not the hidden work notes box, and reads it back', async () => {
    const page = await h.openShell(polarisTicket);
    await page.evaluate((body) => (document.body as HTMLElement & { setHTMLUnsafe(html: string): void }).setHTMLUnsafe(body), ticketBody(polarisTicket));
    const frame = await waitUntil(async () => {
      const f = page.frame({ name: 'gsft_main' });
      return f && (await f.locator('#fixture-loading').count()) ? f : undefined;
    }, 10_000, 'the classic form frame');
    await frame.evaluate((body) => (document.body as HTMLElement & { setHTMLUnsafe(html: string): void }).setHTMLUnsafe(body), ticketBody(byAdapter('servicenow')));
    await expect.poll(() => dockLabel(page)).toBe(`Fixpoint · ${deviceName}`);
    await page.locator('fixpoint-launcher .fp-dock-toggle').click();
    await panelOf(page).getByRole('region', { name: `Device ${deviceName}` }).waitFor();
    const entry = await launchGreet(page, polarisTicket);
    expect(await h.launchedDevices(entry.details.requestId)).toEqual([h.deviceId]);
    await panelOf(page).getByText('Succeeded').waitFor({ timeout: 30_000 });
    await panelOf(page).getByRole('button', { name: 'Insert into ticket' }).click();
    await panelOf(page).getByText('Inserted into the ticket').waitFor();
    const summary = `Fixpoint: Greet on ${deviceName}`;
    expect(await frame.locator('#activity-stream-comments-textarea').inputValue()).toContain(summary);
    expect(await frame.locator('#activity-stream-work_notes-textarea').inputValue()).toBe('');
    expect(await frame.locator('textarea[name="incident.work_notes"]').inputValue()).toBe('');
    await screenshot(page, 'servicenow-polaris');
    await page.close();
  });
});
