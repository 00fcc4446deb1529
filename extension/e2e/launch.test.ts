/**
 * The launcher in real Chromium, on each ticketing tool's page: the extension signed in through its options page, a
 * real backend, and a real agent process running the action's sh script. The launch must reach the audit log with
 * the tool, the ticket and the device name the page showed, the outputs must show in the panel, and the summary must
 * land in the one comment box the agent sees (and be read back from it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../backend/src/testing/live';
import { boxesHolding, screenshot, startExtensionHarness, type ExtensionHarness } from './harness';
import { deviceName, ticketPages } from './tickets';

let h: ExtensionHarness;
const timings: [string, number][] = [];

beforeAll(async () => {
  h = await startExtensionHarness();
  await h.setUp();
});

afterAll(async () => {
  // Printed, not asserted: a shared CI machine's timings vary too much for a threshold.
  if (timings.length) console.log(`device field rendered → launcher shows the device, painted (ms):\n${timings.map(([t, ms]) => `  ${t.padEnd(22)} ${ms.toFixed(1)}`).join('\n')}`);
  await h?.close();
});

describe('the launcher on ticket pages', () => {
  it.each(ticketPages.map((t, i) => [t.adapter, t, i] as const))('%s: finds the device, launches with a parameter, shows the outputs, audits the ticket', async (_name, ticket, i) => {
    const page = await h.openShell(ticket);
    const dock = page.locator('fixpoint-launcher .fp-dock-toggle');
    await expect.poll(() => dock.textContent()).toBe('Fixpoint');
    timings.push([ticket.adapter, await h.renderTicket(page, ticket)]);
    await dock.click();

    const panel = page.locator('fixpoint-launcher #fp-dock-panel');
    await panel.getByRole('region', { name: `Device ${deviceName}` }).waitFor();
    await panel.getByText(ticket.ticketId).first().waitFor();
    await panel.getByRole('button', { name: /^Greet/ }).click();
    const who = `ana-${i}`;
    await panel.getByLabel('Who').fill(who);
    await panel.getByRole('button', { name: 'Launch' }).click();
    await panel.getByText('Succeeded').waitFor({ timeout: 30_000 });
    await panel.locator('dd', { hasText: `hi ${who}` }).waitFor();
    expect(await panel.getByLabel('Output').textContent()).toContain(`hello ${who}`);
    if (ticket.commentBox) {
      await panel.getByRole('button', { name: 'Insert into ticket' }).click();
      await panel.getByText('Inserted into the ticket').waitFor();
      const summary = `Fixpoint: Greet on ${deviceName}`;
      const box = page.locator(ticket.commentBox);
      await expect.poll(async () => (await box.evaluate((el) => (el as HTMLTextAreaElement).value ?? el.textContent)) ?? '').toContain(summary);
      // Only that box: not a hidden journal box, not a background ticket's editor.
      expect(await boxesHolding(page, summary)).toBe(1);
    }
    await screenshot(page, ticket.adapter.replace(':', '-'));

    const entry = await waitUntil(
      async () => (await h.launches()).find((e) => e.details.triggerInfo.externalSource === ticket.adapter && e.details.triggerInfo.externalReference === ticket.ticketId),
      5000, `launch audit for ${ticket.adapter}`,
    );
    expect(entry).toMatchObject({
      actor: 'user:helpdesk@example.com', details: { action: 'greet', trigger: 'extension', triggerInfo: { externalDeviceName: deviceName } },
    });
    expect(await h.launchedDevices(entry.details.requestId)).toEqual([h.deviceId]);
    await page.close();
  });
});
