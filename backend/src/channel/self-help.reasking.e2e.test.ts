/**
 * Self-help end to end, with real processes only (the setup: ../testing/self-help.ts): the tray asks again after a
 * postpone, and after the user closed the window without answering. The other cases are in
 * self-help.answers.e2e.test.ts and self-help.sessions.e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentBundle } from '../testing/agent-process';
import { buildTrayBundle } from '../testing/desktop';
import { waitUntil } from '../testing/live';
import { canRunSelfHelp, selfHelpSkipNote, startSelfHelp, type SelfHelp } from '../testing/self-help';

const title = 'self-help: the tray asks the logged-in user again';
describe.skipIf(!canRunSelfHelp)(canRunSelfHelp ? title : `${title} ${selfHelpSkipNote}`, () => {
  let s: SelfHelp;

  beforeAll(async () => {
    s = await startSelfHelp(buildAgentBundle(), buildTrayBundle());
  }, 240_000);

  afterAll(async () => {
    await s?.stop();
  });

  it('returns postponed to the script, keeps the request pending, and asks again after the delay', async () => {
    const id = await s.launch('disk-cleanup');
    await s.answer('postpone', [{ role: 'button', name: 'Remind me later' }]);
    // checked at once: after the postpone delay, shortened here (trayEnv), the prompt is back
    await waitUntil(async () => !(await s.desktop.promptWindowOpen()), 15_000, 'the window closed');
    const done = await s.finished(id);
    expect(done.outputs).toEqual({ campaign_status: 'postponed', campaign_exit: 11, cleared: false });
    expect((await s.responses('disk-cleanup'))[0]).toMatchObject({ state: 'postponed' });
    const pending = await s.live.api('GET', `/campaigns/disk-cleanup/requests?status=pending`);
    expect(pending.body.items).toHaveLength(1);
    // after the postpone delay (cut to 8 s, trayEnv) the tray asks again; this answer is stored though no script waits for it any more
    await s.answer('postponed-again', [{ role: 'radio', name: 'Yes' }, { role: 'button', name: 'Finish' }], 90_000);
    await waitUntil(async () => (await s.responses('disk-cleanup'))[0]?.state === 'fully', 15_000, 'the later answer');
    expect((await s.live.api('GET', `/campaigns/disk-cleanup/requests?status=pending`)).body.items).toHaveLength(0);
  }, 180_000);

  it('asks again after the campaign\'s delay when the user closes the window without answering', async () => {
    // the last prompt's final message may still be up
    await waitUntil(async () => !(await s.desktop.promptWindowOpen()), 15_000, 'the last window closed');
    const id = await s.launch('disk-cleanup', 150);
    const logFrom = s.desktop.trayLog.length;
    const { browser, page } = await s.desktop.promptPage();
    await page.getByRole('radio', { name: 'Yes' }).waitFor();
    // what the window's close button does: the browser closes the page
    await page.close();
    await browser.close();
    await waitUntil(() => s.desktop.trayLog.slice(logFrom).includes('prompt window closed without an answer'), 15_000, 'the tray to see the window closed');
    await waitUntil(async () => !(await s.desktop.promptWindowOpen()), 15_000, 'the window closed');
    // the browser stays up for the next prompt
    expect(s.desktop.browserRunning()).toBe(true);
    expect((await s.live.api('GET', `/campaigns/disk-cleanup/requests?status=pending`)).body.items).toHaveLength(1);
    // after the postpone delay (cut to 8 s, trayEnv) the same request comes back, and the script, still waiting, gets the answer
    await s.answer('closed-again', [{ role: 'radio', name: 'Yes' }, { role: 'button', name: 'Finish' }], 90_000);
    const done = await s.finished(id);
    expect(done.outputs).toEqual({ campaign_status: 'fully', campaign_exit: 0, cleared: true });
  }, 180_000);
});
