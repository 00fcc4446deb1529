/**
 * Self-service and the activity view end to end, with real processes only (the setup: ../testing/self-help.ts): the
 * user picks a fix in the tray menu, runs it with the keyboard and sees its result; the server launched it as the
 * device's user with the `self_service` trigger and audited it so; a second run inside the cooldown is refused with
 * a clear message; the console lists the use; the activity view shows that run, and a run an agent launched from a
 * ticket, with its secret parameter hidden. Both windows pass axe-core; screenshots go to test-results/tray/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentBundle } from '../testing/agent-process';
import { buildTrayBundle } from '../testing/desktop';
import { waitUntil } from '../testing/live';
import { canRunSelfHelp, selfHelpSkipNote, startSelfHelp, type SelfHelp } from '../testing/self-help';
import { expectAccessible, trayWindow } from '../testing/tray-windows';

const shots = new URL('../../../test-results/tray/', import.meta.url).pathname;

const fixAction = {
  slug: 'clear-temp-files',
  name: 'Clear temporary files',
  purpose: 'remediation',
  runAs: 'system',
  timeoutSec: 60,
  triggers: ['manual', 'self_service'],
  selfService: {
    title: { en: 'Clear temporary files', fr: 'Supprimer les fichiers temporaires' },
    description: { en: 'Deletes the temporary files of this computer to free space.' },
    cooldownSec: 600,
    dailyLimit: 3,
  },
  scripts: { linux: { shell: 'sh', source: 'sleep 1\necho cleared' } },
};

const ticketAction = {
  slug: 'collect-logs',
  name: 'Collect logs',
  purpose: 'data_collection',
  runAs: 'system',
  timeoutSec: 60,
  parameters: [
    { name: 'level', type: 'string', default: 'info' },
    { name: 'upload_token', type: 'string', secret: true },
  ],
  scripts: { linux: { shell: 'sh', source: 'echo "collected at $FIXPOINT_PARAM_LEVEL"' } },
};

const title = 'self-service: the user runs a fix from the tray menu and sees it in the activity view';
describe.skipIf(!canRunSelfHelp)(canRunSelfHelp ? title : `${title} ${selfHelpSkipNote}`, () => {
  let s: SelfHelp;

  beforeAll(async () => {
    s = await startSelfHelp(buildAgentBundle(), buildTrayBundle());
    for (const action of [fixAction, ticketAction]) {
      const res = await s.live.api('POST', '/actions', action);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }, 240_000);

  afterAll(async () => {
    await s?.stop();
  });

  it('runs a fix from the "Fix a problem" menu, launched and audited as the device user, and refuses a second run in the cooldown', async () => {
    // the menu's "Fix a problem" opens the list; the fixes come from the server through the agent
    s.desktop.clickMenu('Fix a problem');
    let { browser, page } = await trayWindow(s.desktop, 'Fix a problem');
    await page.getByRole('button', { name: /Clear temporary files/ }).waitFor({ timeout: 30_000 });
    await expectAccessible(page, 'the self-service list');
    await page.screenshot({ path: join(shots, 'self-service-list.png') });

    // the fix's own item in the submenu opens it (in place of the list), with what it does and the run button focused
    const replaced = page.waitForEvent('close');
    s.desktop.clickMenu('Clear temporary files');
    await replaced;
    await browser.close();
    ({ browser, page } = await trayWindow(s.desktop, 'Fix a problem'));
    await page.getByText('Deletes the temporary files of this computer to free space.').waitFor({ timeout: 30_000 });
    await expectAccessible(page, 'a self-service fix');
    const run = page.getByRole('button', { name: 'Run this fix' });
    await waitUntil(() => run.evaluate((el) => el === (el.getRootNode() as unknown as { activeElement: unknown }).activeElement), 10_000, 'the run button has the focus');
    await page.keyboard.press('Enter');
    const status = page.getByRole('status');
    await status.getByText('Done: the fix ran successfully.').waitFor({ timeout: 60_000 });
    s.desktop.screenshot(join(shots, 'self-service-done-screen.png'));
    await page.screenshot({ path: join(shots, 'self-service-done.png') });

    const list = await s.live.api('GET', '/executions?action=clear-temp-files&trigger=self_service');
    expect(list.body.items, JSON.stringify(list.body)).toHaveLength(1);
    const [execution] = list.body.items;
    expect(execution).toMatchObject({ status: 'succeeded', trigger: 'self_service', requestedBy: `device-user:${s.user.name}`, deviceId: s.agent.deviceId });
    const audit = await s.live.api('GET', `/audit?action=execution.launch&actor=${encodeURIComponent(`device-user:${s.user.name}`)}`);
    expect(audit.body.items, JSON.stringify(audit.body)).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ target: 'action:clear-temp-files', details: { trigger: 'self_service', devices: 1 } });

    // again, at once: the cooldown refuses it, and the window says when it may run again
    await run.click();
    await status.getByText(/You can run it again in (9|10) min\./).waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toMatch(/^This fix already ran on this computer recently\. /);
    await page.screenshot({ path: join(shots, 'self-service-refused.png') });
    await browser.close();
    expect((await s.live.api('GET', '/executions?action=clear-temp-files&trigger=self_service')).body.items).toHaveLength(1);

    // the console's view of the action's self-service use
    const usage = await s.live.api('GET', '/actions/clear-temp-files/self-service');
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ last24h: 1, last30d: 1, users: 1, items: [{ executionId: execution.id, user: s.user.name, status: 'succeeded' }] });
  }, 180_000);

  it('shows the runs of the last 30 days in the activity view: who launched them, the ticket, the result, secrets hidden', async () => {
    const launched = await s.live.api('POST', '/executions', {
      action: 'collect-logs',
      devices: [s.agent.deviceId],
      parameters: { level: 'debug', upload_token: 'hunter2-secret' },
      trigger: 'extension',
      triggerInfo: { externalSource: 'servicenow', externalReference: 'INC0042' },
    });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    await s.finished(launched.body.executions[0].id);

    s.desktop.clickMenu('Recent activity');
    const { browser, page } = await trayWindow(s.desktop, 'Recent activity');
    const table = page.getByRole('table');
    await table.waitFor({ timeout: 30_000 });
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    const fix = rows.find((r) => r[0]!.startsWith('clear-temp-files'));
    const logs = rows.find((r) => r[0]!.startsWith('collect-logs'));
    expect(fix, JSON.stringify(rows)).toBeDefined();
    expect(fix![1]).toBe(`You (${s.user.name}), self-service`);
    expect(fix![4]).toBe('Succeeded');
    expect(logs![0]).toBe('collect-logslevel=debug, upload_token=***');
    expect(logs![3]).toBe('INC0042');
    expect(logs![4]).toBe('Succeeded');
    expect(JSON.stringify(rows)).not.toContain('hunter2');
    // newest first
    expect(rows.indexOf(logs!)).toBeLessThan(rows.indexOf(fix!));
    await expectAccessible(page, 'the activity view');
    // keyboard: the table's scrolling region takes the focus first, then Refresh
    await page.keyboard.press('Tab');
    await page.screenshot({ path: join(shots, 'activity.png') });
    s.desktop.screenshot(join(shots, 'activity-screen.png'));
    await browser.close();
  }, 120_000);
});
