/**
 * The traps of real ticketing workspaces, in real Chromium: background tickets mounted before the active one, tab
 * switches that only flip styles and aria-selected, and a device name that matches two inventory devices. A launch
 * must run on the shown ticket's device and be audited with that ticket; an ambiguous name must wait for a choice.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../backend/src/testing/live';
import { screenshot, startExtensionHarness, type ExtensionHarness } from './harness';
import { ambiguousTicket, deviceName, ticketPages, type TicketPage } from './tickets';

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
    await panelOf(page).getByRole('button', { name: 'Insert into ticket' }).click();
    await panelOf(page).getByText('Inserted into the ticket').waitFor();
    await screenshot(page, `${adapter}-background-tabs`);

    // The first tab (mounted first in the document) names another enrolled device; the panel follows it at once.
    expect(await switchTab(page, adapter, 0)).toBe('Fixpoint · PC-HR-0031');
    const panel = panelOf(page);
    await panel.getByRole('region', { name: 'Device PC-HR-0031' }).waitFor();
    const switched = adapter === 'zendesk' ? '#4702' : 'INC0010019';
    await panel.getByText(switched).first().waitFor();
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
