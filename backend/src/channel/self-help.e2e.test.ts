/**
 * Self-help end to end, with real processes only: a listening backend, the bundled agent (root) enrolled through its
 * CLI, and the bundled tray client running as a local account the test creates, in a desktop session (Xvfb, a session
 * bus, dunst). The backend launches a `runAs: user` action whose script calls `fixpoint campaign`; the tray opens the
 * prompt in Chromium; the test answers through the DevTools protocol like a user would (clicks), takes screenshots
 * into test-results/tray/, and checks what the script did with the answer and what the backend stored.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireCampaignRequests } from '../services/campaigns';
import { AgentProcess, buildAgentBundle } from '../testing/agent-process';
import { buildTrayBundle, closeSession, createLocalUser, DesktopSession, openSession, removeLocalUser, traySocket, type LocalUser } from '../testing/desktop';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from '../testing/live';

const canRun = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/chromium') && spawnSync('which', ['Xvfb']).status === 0;
const shots = new URL('../../../test-results/tray/', import.meta.url).pathname;
const suffix = String(process.pid % 100_000);
/**
 * A campaign asks again 60 s after a postpone at the earliest; the tray's test switch shortens that (and the wait after
 * a window closed without an answer) to a few seconds, so the re-asking cases need not wait out a minute each.
 */
const trayEnv = { FIXPOINT_TRAY_SNOOZE_CAP_SEC: '8' };

const cleanupScript = [
  'out=$(fixpoint campaign "$FIXPOINT_PARAM_CAMPAIGN" --timeout "$FIXPOINT_PARAM_WAIT" --param size=12GB)',
  'rc=$?',
  'echo "$out"',
  "status=$(printf '%s' \"$out\" | sed -n 's/.*\"status\":\"\\([a-z_]*\\)\".*/\\1/p')",
  'cleared=false',
  // the script acts on the answer: the folder is emptied only when the user said yes
  'if [ "$rc" -eq 0 ] && printf \'%s\' "$out" | grep -q \'"clean":\\["yes"\\]\'; then find "$FIXPOINT_PARAM_FOLDER" -mindepth 1 -delete && cleared=true; fi',
  'fixpoint output campaign_status "$status"',
  'fixpoint output campaign_exit "$rc"',
  'fixpoint output cleared "$cleared"',
].join('\n');

const campaign = (slug: string, overrides: Record<string, unknown> = {}) => ({
  slug,
  name: 'Disk cleanup',
  allowDecline: true,
  allowPostpone: true,
  postponeDelaySec: 60,
  branding: { title: { en: 'IT department' } },
  parameters: [{ name: 'size', default: 'a lot' }],
  questions: [
    {
      id: 'clean',
      type: 'single',
      text: { en: 'Your disk is **almost full**: {{size}} of temporary files could go. Clean them up now?' },
      choices: [
        { id: 'yes', label: { en: 'Yes' } },
        { id: 'no', label: { en: 'No' } },
      ],
    },
  ],
  finalMessage: { en: 'Thank you, {user}!' },
  expirySec: 600,
  ...overrides,
});

const title = 'self-help: a script asks the logged-in user through the tray';
describe.skipIf(!canRun)(canRun ? title : `${title} (skipped: needs Linux, root, /usr/bin/chromium and Xvfb)`, () => {
  let live: LiveBackend;
  let agent: AgentProcess;
  let user: LocalUser;
  let intruder: LocalUser;
  let desktop: DesktopSession;
  let folder: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    user = createLocalUser(`fpe${suffix}`);
    intruder = createLocalUser(`fpx${suffix}`);
    openSession(user);
    const [agentBundle, trayBundle] = [buildAgentBundle(), buildTrayBundle()];
    desktop = new DesktopSession(user, trayBundle);
    await desktop.startX();

    live = await startLiveBackend({ expirySweepMs: 1000 });
    for (const [slug, extra] of [['disk-cleanup', {}], ['expiring-cleanup', { expirySec: 60 }]] as const) {
      const created = await live.api('POST', '/campaigns', campaign(slug, extra));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect((await live.api('POST', `/campaigns/${slug}/publish`)).status).toBe(200);
    }
    const action = await live.api('POST', '/actions', {
      slug: 'self-help-cleanup',
      name: 'Self-help disk cleanup',
      purpose: 'remediation',
      runAs: 'user',
      timeoutSec: 180,
      scripts: { linux: { shell: 'sh', source: cleanupScript } },
      parameters: [
        { name: 'campaign', type: 'string', required: true },
        { name: 'wait', type: 'int', default: 60 },
        { name: 'folder', type: 'string', required: true },
      ],
      outputs: [
        { name: 'campaign_status', type: 'string' },
        { name: 'campaign_exit', type: 'int' },
        { name: 'cleared', type: 'bool' },
      ],
    });
    expect(action.status, JSON.stringify(action.body)).toBe(201);

    agent = new AgentProcess(agentBundle, { env: { FIXPOINT_AGENT_CONSOLE_USER: user.name } });
    await agent.enroll(live.url, await enrollmentToken(live.api));
    agent.start();
    await waitUntil(() => live.backend.ctx.dispatcher.isOnline(agent.deviceId), 20_000, 'agent connected');
    await waitUntil(() => existsSync(traySocket(user).socket), 10_000, 'tray socket');
    desktop.startTray(trayEnv);
    await desktop.trayLogged('connected to the agent');
  }, 240_000);

  afterAll(async () => {
    await desktop?.stop();
    await agent?.dispose();
    await live?.stop();
    if (user) closeSession(user);
    for (const u of [user, intruder]) if (u) removeLocalUser(u);
  });

  /** A fresh folder of junk owned by the user, for the script to clear (or not). */
  const junk = () => {
    folder = mkdtempSync(join(tmpdir(), 'fixpoint-junk-'));
    for (const name of ['a.tmp', 'b.tmp']) writeFileSync(join(folder, name), 'x'.repeat(1000));
    for (const p of [folder, join(folder, 'a.tmp'), join(folder, 'b.tmp')]) chownSync(p, user.uid, user.gid);
    return folder;
  };

  const launch = async (slug: string, wait = 60) => {
    const res = await live.api('POST', '/executions', { action: 'self-help-cleanup', devices: [agent.deviceId], parameters: { campaign: slug, wait, folder: junk() } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.executions[0].id as string;
  };
  const finished = (id: string, timeoutMs = 90_000) =>
    waitUntil(async () => {
      const e = (await live.api('GET', `/executions/${id}`)).body;
      return ['succeeded', 'failed', 'timed_out', 'canceled', 'expired'].includes(e.status) && e;
    }, timeoutMs, `execution ${id}`);
  const responses = async (slug: string) => (await live.api('GET', `/campaigns/${slug}/responses`)).body.items as any[];

  type Step = { role: 'radio' | 'button'; name: string } | { key: string };
  /** Opens the prompt, takes screenshots, and clicks or types like a user. */
  const answer = async (name: string, clicks: Step[], waitMs = 20_000) => {
    const { browser, page } = await desktop.promptPage(waitMs);
    await page.getByRole('radio', { name: 'Yes' }).waitFor();
    desktop.screenshot(join(shots, `${name}-screen.png`));
    await page.screenshot({ path: join(shots, `${name}-prompt.png`) });
    for (const c of clicks)
      await ('key' in c ? page.keyboard.press(c.key) : page.getByRole(c.role, { name: c.name }).click()).catch((error: unknown) => {
        // a decline or postpone closes the window at once, possibly before the key is even released
        if (c !== clicks.at(-1) || !/has been closed/.test(String(error))) throw error;
      });
    const last = clicks.at(-1);
    if (last && 'name' in last && last.name === 'Finish') {
      await page.getByText('Thank you').waitFor();
      await page.screenshot({ path: join(shots, `${name}-final.png`) });
    }
    await browser.close();
  };

  it('shows the prompt, and the script clears the folder only after the user said yes', async () => {
    const id = await launch('disk-cleanup');
    await answer('yes', [{ role: 'radio', name: 'Yes' }, { role: 'button', name: 'Finish' }]);
    const done = await finished(id);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'succeeded', outputs: { campaign_status: 'fully', campaign_exit: 0, cleared: true } });
    expect(JSON.parse(done.stdoutTail.trim())).toMatchObject({ status: 'fully', answers: { clean: ['yes'] }, freeText: {} });
    expect(readdirSync(folder)).toEqual([]);
    const [stored] = await responses('disk-cleanup');
    expect(stored).toMatchObject({ state: 'fully', answers: { clean: ['yes'] }, user: user.name, deviceId: agent.deviceId, parameters: { size: '12GB' } });
    await waitUntil(async () => !(await desktop.promptWindowOpen()), 15_000, 'the window closed');
  }, 120_000);

  it('leaves the folder alone when the user declines (with the keyboard only)', async () => {
    const id = await launch('disk-cleanup');
    // the first choice has the focus; Tab leaves the radio group for the first button, "No thanks"
    await answer('decline', [{ key: 'Tab' }, { key: 'Enter' }]);
    const done = await finished(id);
    expect(done.outputs).toEqual({ campaign_status: 'declined', campaign_exit: 10, cleared: false });
    expect(readdirSync(folder).sort()).toEqual(['a.tmp', 'b.tmp']);
    expect((await responses('disk-cleanup'))[0]).toMatchObject({ state: 'declined' });
  }, 120_000);

  it('times out when the prompt stays unanswered, and the window goes away', async () => {
    const id = await launch('disk-cleanup', 5);
    await desktop.promptPage();
    const done = await finished(id);
    expect(done.outputs).toEqual({ campaign_status: 'timeout', campaign_exit: 12, cleared: false });
    expect((await responses('disk-cleanup'))[0]).toMatchObject({ state: 'timeout' });
    await waitUntil(async () => !(await desktop.promptWindowOpen()), 15_000, 'the window closed');
  }, 120_000);

  it('reports notification_failed without a tray client, and no_user without a session', async () => {
    await desktop.stopTray();
    const id = await launch('disk-cleanup', 4);
    expect((await finished(id)).outputs).toMatchObject({ campaign_status: 'notification_failed', campaign_exit: 15 });
    closeSession(user);
    await waitUntil(() => !existsSync(traySocket(user).socket), 10_000, 'socket gone');
    const second = await launch('disk-cleanup', 4);
    expect((await finished(second)).outputs).toMatchObject({ campaign_status: 'no_user', campaign_exit: 14 });
    expect((await responses('disk-cleanup')).slice(0, 2).map((r) => r.state)).toEqual(['no_user', 'notification_failed']);
    openSession(user);
    await waitUntil(() => existsSync(traySocket(user).socket), 10_000, 'socket back');
    desktop.startTray(trayEnv);
    await desktop.trayLogged('connected to the agent');
  }, 120_000);

  it('refuses another local user on the tray socket', () => {
    const probe = `require('net').connect(${JSON.stringify(traySocket(user).socket)}).on('error', (e) => { console.log(e.code); process.exit(0); }).on('connect', () => { console.log('connected'); process.exit(0); });`;
    const out = execFileSync(process.execPath, ['-e', probe], { uid: intruder.uid, gid: intruder.gid, encoding: 'utf8' });
    expect(out.trim()).toBe('EACCES');
    const read = spawnSync('cat', [traySocket(user).token], { uid: intruder.uid, gid: intruder.gid, encoding: 'utf8' });
    expect(read.status).not.toBe(0);
    expect(read.stderr).toMatch(/Permission denied/);
  });

  it('reports expired when the pending request the script waits on expires first', async () => {
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
    const id = await launch('expiring-cleanup', 120);
    const done = await finished(id, 100_000);
    expect(done.outputs).toMatchObject({ campaign_status: 'expired', campaign_exit: 13 });
    // the backend's expiry sweep (every 30 s) records the expired response; run one now rather than wait for it
    await expireCampaignRequests(live.backend.ctx);
    expect((await responses('expiring-cleanup'))[0]).toMatchObject({ state: 'expired' });
    desktop.startTray(trayEnv);
    await desktop.trayLogged('connected to the agent');
  }, 150_000);

  it('returns postponed to the script, keeps the request pending, and asks again after the delay', async () => {
    const id = await launch('disk-cleanup');
    await answer('postpone', [{ role: 'button', name: 'Remind me later' }]);
    // checked at once: after the postpone delay, shortened here (trayEnv), the prompt is back
    await waitUntil(async () => !(await desktop.promptWindowOpen()), 15_000, 'the window closed');
    const done = await finished(id);
    expect(done.outputs).toEqual({ campaign_status: 'postponed', campaign_exit: 11, cleared: false });
    expect((await responses('disk-cleanup'))[0]).toMatchObject({ state: 'postponed' });
    const pending = await live.api('GET', `/campaigns/disk-cleanup/requests?status=pending`);
    expect(pending.body.items).toHaveLength(1);
    // after the postpone delay (cut to 8 s, trayEnv) the tray asks again; this answer is stored though no script waits for it any more
    await answer('postponed-again', [{ role: 'radio', name: 'Yes' }, { role: 'button', name: 'Finish' }], 90_000);
    await waitUntil(async () => (await responses('disk-cleanup'))[0]?.state === 'fully', 15_000, 'the later answer');
    expect((await live.api('GET', `/campaigns/disk-cleanup/requests?status=pending`)).body.items).toHaveLength(0);
  }, 180_000);

  it('asks again after the campaign\'s delay when the user closes the window without answering', async () => {
    // the last prompt's final message may still be up
    await waitUntil(async () => !(await desktop.promptWindowOpen()), 15_000, 'the last window closed');
    const id = await launch('disk-cleanup', 150);
    const logFrom = desktop.trayLog.length;
    const { browser, page } = await desktop.promptPage();
    await page.getByRole('radio', { name: 'Yes' }).waitFor();
    // what the window's close button does: the browser closes the page
    await page.close();
    await browser.close();
    await waitUntil(() => desktop.trayLog.slice(logFrom).includes('prompt window closed without an answer'), 15_000, 'the tray to see the window closed');
    await waitUntil(async () => !(await desktop.promptWindowOpen()), 15_000, 'the window closed');
    // the browser stays up for the next prompt
    expect(desktop.browserRunning()).toBe(true);
    expect((await live.api('GET', `/campaigns/disk-cleanup/requests?status=pending`)).body.items).toHaveLength(1);
    // after the postpone delay (cut to 8 s, trayEnv) the same request comes back, and the script, still waiting, gets the answer
    await answer('closed-again', [{ role: 'radio', name: 'Yes' }, { role: 'button', name: 'Finish' }], 90_000);
    const done = await finished(id);
    expect(done.outputs).toEqual({ campaign_status: 'fully', campaign_exit: 0, cleared: true });
  }, 180_000);

  it('with the warm browser off, opens each prompt in a browser of its own that ends with the window', async () => {
    await desktop.stopTray();
    await waitUntil(() => !desktop.browserRunning(), 15_000, 'the browser gone with its tray');
    const logFrom = desktop.trayLog.length;
    desktop.startTray({ ...trayEnv, FIXPOINT_TRAY_BROWSER_WARM: '0' });
    await waitUntil(() => desktop.trayLog.slice(logFrom).includes('connected to the agent'), 20_000, 'the tray connected');
    expect(desktop.browserRunning()).toBe(false);
    const id = await launch('disk-cleanup');
    await answer('cold-decline', [{ role: 'button', name: 'No thanks' }]);
    expect((await finished(id)).outputs).toEqual({ campaign_status: 'declined', campaign_exit: 10, cleared: false });
    await waitUntil(() => !desktop.browserRunning(), 15_000, 'the browser gone with its window');
  }, 120_000);
});
