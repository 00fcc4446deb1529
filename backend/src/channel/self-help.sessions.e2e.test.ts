/**
 * Self-help end to end, with real processes only (the setup: ../testing/self-help.ts): what the script gets without a
 * tray client or without a session, when the request it waits on expires first, and the tray without its warm browser.
 * The other cases are in self-help.answers.e2e.test.ts and self-help.reasking.e2e.test.ts.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireCampaignRequests } from '../services/campaigns';
import { buildAgentBundle } from '../testing/agent-process';
import { buildTrayBundle, closeSession, openSession, traySocket } from '../testing/desktop';
import { waitUntil } from '../testing/live';
import { canRunSelfHelp, selfHelpSkipNote, startSelfHelp, trayEnv, type SelfHelp } from '../testing/self-help';

const title = 'self-help: a script asks the logged-in user, with the tray or the session gone';
describe.skipIf(!canRunSelfHelp)(canRunSelfHelp ? title : `${title} ${selfHelpSkipNote}`, () => {
  let s: SelfHelp;

  beforeAll(async () => {
    s = await startSelfHelp(buildAgentBundle(), buildTrayBundle());
  }, 240_000);

  afterAll(async () => {
    await s?.stop();
  });

  it('reports notification_failed without a tray client, and no_user without a session', async () => {
    const { desktop, user } = s;
    await desktop.stopTray();
    const id = await s.launch('disk-cleanup', 4);
    expect((await s.finished(id)).outputs).toMatchObject({ campaign_status: 'notification_failed', campaign_exit: 15 });
    closeSession(user);
    await waitUntil(() => !existsSync(traySocket(user).socket), 10_000, 'socket gone');
    // Nobody is logged in: the script gets no_user at once, not at the end of its 120 s wait.
    const second = await s.launch('disk-cleanup', 120);
    expect((await s.finished(second, 60_000)).outputs).toMatchObject({ campaign_status: 'no_user', campaign_exit: 14 });
    expect((await s.responses('disk-cleanup')).slice(0, 2).map((r) => r.state)).toEqual(['no_user', 'notification_failed']);
    openSession(user);
    await waitUntil(() => existsSync(traySocket(user).socket), 10_000, 'socket back');
    desktop.startTray(trayEnv);
    await desktop.trayLogged('connected to the agent');
  }, 120_000);

  it('reports expired when the pending request the script waits on expires first', async () => {
    const { desktop, live, agent } = s;
    // a console trigger left a request pending that expires within a minute; the script waits on that one
    await desktop.stopTray();
    // 60 s is the shortest expiry a campaign allows: triggered on a backend clock 45 s behind, the request's minute
    // ends 15 s from now, which leaves the script time to start waiting on it
    const clock = live.backend.ctx.now;
    live.backend.ctx.now = () => new Date(Date.now() - 45_000);
    const triggered = await live.api('POST', '/campaigns/expiring-cleanup/trigger', { devices: [agent.deviceId], expirySec: 60 }).finally(() => {
      live.backend.ctx.now = clock;
    });
    expect(triggered.status, JSON.stringify(triggered.body)).toBe(200);
    const id = await s.launch('expiring-cleanup', 120);
    const done = await s.finished(id, 100_000);
    expect(done.outputs).toMatchObject({ campaign_status: 'expired', campaign_exit: 13 });
    // the backend's expiry sweep (every 30 s) records the expired response; run one now rather than wait for it
    await expireCampaignRequests(live.backend.ctx);
    expect((await s.responses('expiring-cleanup'))[0]).toMatchObject({ state: 'expired' });
    desktop.startTray(trayEnv);
    await desktop.trayLogged('connected to the agent');
  }, 150_000);

  it('with the warm browser off, opens each prompt in a browser of its own that ends with the window', async () => {
    const { desktop } = s;
    await desktop.stopTray();
    await waitUntil(() => !desktop.browserRunning(), 15_000, 'the browser gone with its tray');
    const logFrom = desktop.trayLog.length;
    desktop.startTray({ ...trayEnv, FIXPOINT_TRAY_BROWSER_WARM: '0' });
    await waitUntil(() => desktop.trayLog.slice(logFrom).includes('connected to the agent'), 20_000, 'the tray connected');
    expect(desktop.browserRunning()).toBe(false);
    const id = await s.launch('disk-cleanup');
    await s.answer('cold-decline', [{ role: 'button', name: 'No thanks' }]);
    expect((await s.finished(id)).outputs).toEqual({ campaign_status: 'declined', campaign_exit: 10, cleared: false });
    await waitUntil(() => !desktop.browserRunning(), 15_000, 'the browser gone with its window');
  }, 120_000);
});
