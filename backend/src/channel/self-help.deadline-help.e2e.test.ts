/**
 * The tray's deadlines and "Get help" end to end, with real processes only (the setup: ../testing/self-help.ts): the
 * built-in restart-with-consent action asks through a campaign with a deadline, the user postpones once, the prompt
 * comes back counting down without a postpone, and at the deadline the script gets `deadline_reached` (exit 18).
 * Then the user opens "Get help", fills it with the keyboard only, includes a screenshot, and the request reaches a
 * local webhook receiver as `help.requested`. Both windows pass axe-core; screenshots go to test-results/tray/.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildAgentBundle } from '../testing/agent-process';
import { buildTrayBundle } from '../testing/desktop';
import { waitUntil } from '../testing/live';
import { canRunSelfHelp, selfHelpSkipNote, startSelfHelp, type SelfHelp } from '../testing/self-help';
import { expectAccessible } from '../testing/tray-windows';
import { receiverNetwork, startReceiver, type Receiver } from '../testing/webhooks';

const shots = new URL('../../../test-results/tray/', import.meta.url).pathname;
const libraryFile = new URL('../../../agent/library/restart-with-consent.action.yaml', import.meta.url);

const consentCampaign = {
  slug: 'restart-consent',
  name: 'Restart',
  allowPostpone: true,
  postponeDelaySec: 600,
  branding: { title: { en: 'IT department' } },
  questions: [{ id: 'restart', type: 'info', text: { en: 'Updates need a **restart**. Restart now, or later today?' } }],
  finalMessage: { en: 'Restarting in a minute. Save your work.' },
  expirySec: 3600,
};

const title = 'self-help: a restart deadline counts down in the tray, and a user asks for help';
describe.skipIf(!canRunSelfHelp)(canRunSelfHelp ? title : `${title} ${selfHelpSkipNote}`, () => {
  let s: SelfHelp;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    s = await startSelfHelp(buildAgentBundle(), buildTrayBundle(), { backendEnv: receiverNetwork });
    const api = s.live.api;
    expect((await api('POST', '/campaigns', consentCampaign)).status).toBe(201);
    expect((await api('POST', '/campaigns/restart-consent/publish')).status).toBe(200);
    const imported = await api('POST', '/actions/import', parse(readFileSync(libraryFile, 'utf8')));
    expect(imported.status, JSON.stringify(imported.body)).toBeLessThan(300);
    const hook = await api('POST', '/webhooks', { name: 'Service desk', url: receiver.url, events: ['help.requested'] });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
  }, 240_000);

  afterAll(async () => {
    await s?.stop();
    await receiver?.close();
  });

  it('offers one postpone, comes back counting down, and returns deadline_reached to the script at the deadline', async () => {
    const launched = await s.live.api('POST', '/executions', {
      action: 'restart-with-consent',
      devices: [s.agent.deviceId],
      parameters: { deadline_minutes: 2, max_postpones: 1, countdown_sec: 40, dry_run: true },
    });
    expect(launched.status, JSON.stringify(launched.body)).toBe(202);
    const id = launched.body.executions[0].id as string;
    const startedAt = Date.now();

    let { browser, page } = await s.desktop.promptPage(60_000);
    await page.getByText('Postpones left: 1.').waitFor();
    await page.getByText(/^This goes ahead at .+ at the latest\.$/).waitFor();
    await expectAccessible(page, 'the prompt with a deadline');
    await page.screenshot({ path: join(shots, 'deadline-offer-prompt.png') });
    await page.getByRole('button', { name: 'Remind me later' }).click().catch((error: unknown) => {
      if (!/has been closed/.test(String(error))) throw error;
    });
    await browser.close();

    // back at the start of the countdown (40 s before the 120 s deadline), past the postpone delay of 10 minutes
    await waitUntil(async () => !(await s.desktop.promptWindowOpen()), 20_000, 'the postponed window closed');
    ({ browser, page } = await s.desktop.promptPage(150_000));
    await page.getByRole('timer').filter({ hasText: /^Going ahead in \d+:\d\d$/ }).waitFor();
    expect(Date.now() - startedAt).toBeGreaterThan(70_000);
    await page.getByText('You cannot postpone this any more.').waitFor();
    expect(await page.getByRole('button', { name: 'Remind me later' }).count()).toBe(0);
    await expectAccessible(page, 'the countdown');
    await page.screenshot({ path: join(shots, 'deadline-countdown-prompt.png') });
    s.desktop.screenshot(join(shots, 'deadline-countdown-screen.png'));
    await browser.close();

    const done = await s.finished(id, 180_000);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'succeeded', exitCode: 0, outputs: { decision: 'deadline_reached', restarted: false } });
    expect(JSON.parse(done.stdoutTail.trim().split('\n')[0])).toMatchObject({ status: 'deadline_reached' });
    expect((await s.responses('restart-consent')).map((r) => r.state)).toEqual(['deadline_reached', 'postponed']);
    await waitUntil(async () => !(await s.desktop.promptWindowOpen()), 20_000, 'the window closed at the deadline');
  }, 420_000);

  it('sends a help request with a screenshot, keyboard only, to the webhook receiver', async () => {
    // what `fixpoint-tray --get-help` does: signal the running tray
    const pid = Number(readFileSync(join(dirname(s.desktop.profileDir), 'tray.pid'), 'utf8'));
    process.kill(pid, 'SIGUSR1');
    const { browser, page } = await s.desktop.promptPage(60_000, '/h/');
    await page.getByRole('heading', { name: 'Get help' }).waitFor();
    await expectAccessible(page, 'the help form');
    await page.screenshot({ path: join(shots, 'help-form.png') });

    // the subject has the focus; an empty subject is refused first
    await page.keyboard.press('Enter');
    await page.getByText('Please give a subject.').waitFor();
    await page.keyboard.type('Printer prints blank pages');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Since this morning, on the second floor.');
    await page.keyboard.press('Tab');
    await page.keyboard.press(' ');
    await page.getByRole('img', { name: 'Include a screenshot of my screen' }).waitFor();
    await expectAccessible(page, 'the help form with its screenshot preview');
    await page.screenshot({ path: join(shots, 'help-form-screenshot.png') });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText(/^Sent\. IT has your request \(reference [0-9a-f]{8}\)\.$/).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(shots, 'help-sent.png') });

    const hook = await waitUntil(() => receiver.requests.find((r) => r.body.includes('"help.requested"')), 30_000, 'the help.requested webhook');
    expect(hook.headers['x-fixpoint-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const { event, data } = JSON.parse(hook.body);
    expect(event).toBe('help.requested');
    expect(data).toMatchObject({ deviceId: s.agent.deviceId, user: s.user.name, subject: 'Printer prints blank pages', description: 'Since this morning, on the second floor.' });
    expect(data.screenshotUrl).toMatch(new RegExp(`/api/v1/help-requests/${data.helpRequestId}/screenshot$`));
    expect(Object.keys(data.facts).length).toBeGreaterThan(0);

    const listed = await s.live.api('GET', '/help-requests');
    expect(listed.body.items[0]).toMatchObject({ id: data.helpRequestId, screenshot: { mediaType: 'image/jpeg' } });
    expect(listed.body.items[0].screenshot.bytes).toBeGreaterThan(1000);

    // once sent, Close replaces Cancel and Send: Tab reaches it, and Enter closes the window, maybe before the key is up
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter').catch((error: unknown) => {
      if (!/has been closed/.test(String(error))) throw error;
    });
    await browser.close();
    await waitUntil(async () => {
      const port = readFileSync(join(s.desktop.profileDir, 'DevToolsActivePort'), 'utf8').split('\n')[0];
      const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { url: string }[];
      return !targets.some((t) => t.url.includes('/h/'));
    }, 20_000, 'the help window closed');
  }, 240_000);
});
