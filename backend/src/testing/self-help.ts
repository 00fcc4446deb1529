/**
 * @module The self-help end-to-end setup, shared by the `channel/self-help.*.e2e.test.ts` files: a listening backend,
 * the bundled agent (root) enrolled through its CLI, and the bundled tray client running as a local account the setup
 * creates, in a desktop session of its own (Xvfb on a free display, a session bus, dunst). The backend launches a
 * `runAs: user` action whose script calls `fixpoint campaign`; the tray opens the prompt in Chromium; `answer` clicks
 * through the DevTools protocol like a user would and takes screenshots into test-results/tray/. Each file gets its own
 * accounts, display, backend and agent, so the files run side by side.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { AgentProcess } from './agent-process';
import { closeSession, createLocalUser, DesktopSession, openSession, removeLocalUser, traySocket, type LocalUser } from './desktop';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from './live';

export const canRunSelfHelp = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/chromium') && spawnSync('which', ['Xvfb']).status === 0;
export const selfHelpSkipNote = '(skipped: needs Linux, root, /usr/bin/chromium and Xvfb)';

const shots = new URL('../../../test-results/tray/', import.meta.url).pathname;
/**
 * A campaign asks again 60 s after a postpone at the earliest; the tray's test switch shortens that (and the wait after
 * a window closed without an answer) to a few seconds, so the re-asking cases need not wait out a minute each.
 */
export const trayEnv = { FIXPOINT_TRAY_SNOOZE_CAP_SEC: '8' };

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

const cleanupAction = {
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
};

type Step = { role: 'radio' | 'button'; name: string } | { key: string };

export interface SelfHelp {
  live: LiveBackend;
  agent: AgentProcess;
  user: LocalUser;
  /** A second local account, for the socket permission checks. */
  intruder: LocalUser;
  desktop: DesktopSession;
  /** The junk folder of the last launch. */
  folder: string;
  /** Launches the cleanup action on the device with a fresh junk folder; returns the execution id. */
  launch(slug: string, wait?: number): Promise<string>;
  /** Waits for the execution to end and returns it. */
  finished(id: string, timeoutMs?: number): Promise<any>;
  /** The campaign's stored responses, newest first. */
  responses(slug: string): Promise<any[]>;
  /** Opens the prompt, takes screenshots, and clicks or types like a user. */
  answer(name: string, clicks: Step[], waitMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Sets everything up: the campaigns `disk-cleanup` and `expiring-cleanup` (expiry 60 s), the `self-help-cleanup`
 * action, the agent connected and the tray connected to it. `agentBundle` and `trayBundle` are built by the caller;
 * `agentEnv` adds to the agent's environment (e.g. `FIXPOINT_AGENT_CONSOLE_USER_FILE`, to log the user in and out).
 */
export async function startSelfHelp(agentBundle: string, trayBundle: string, options: { agentEnv?: Record<string, string>; backendEnv?: Record<string, string> } = {}): Promise<SelfHelp> {
  mkdirSync(shots, { recursive: true });
  const suffix = String(process.pid % 100_000);
  const user = createLocalUser(`fpe${suffix}`);
  const intruder = createLocalUser(`fpx${suffix}`);
  openSession(user);
  const desktop = new DesktopSession(user, trayBundle);
  let live: LiveBackend | undefined;
  let agent: AgentProcess | undefined;
  const stop = async () => {
    await desktop.stop();
    await agent?.dispose();
    await live?.stop();
    closeSession(user);
    for (const u of [user, intruder]) removeLocalUser(u);
  };
  try {
    await desktop.startX();
    live = await startLiveBackend({ expirySweepMs: 1000, ...(options.backendEnv && { env: options.backendEnv }) });
    const api = live.api;
    for (const [slug, extra] of [['disk-cleanup', {}], ['expiring-cleanup', { expirySec: 60 }]] as const) {
      const created = await api('POST', '/campaigns', campaign(slug, extra));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect((await api('POST', `/campaigns/${slug}/publish`)).status).toBe(200);
    }
    const action = await api('POST', '/actions', cleanupAction);
    expect(action.status, JSON.stringify(action.body)).toBe(201);

    const started = new AgentProcess(agentBundle, { env: { FIXPOINT_AGENT_CONSOLE_USER: user.name, ...options.agentEnv } });
    agent = started;
    await started.enroll(live.url, await enrollmentToken(api));
    started.start();
    const backend = live.backend;
    await waitUntil(() => backend.ctx.dispatcher.isOnline(started.deviceId), 20_000, 'agent connected');
    await waitUntil(() => existsSync(traySocket(user).socket), 10_000, 'tray socket');
    desktop.startTray(trayEnv);
    await desktop.trayLogged('connected to the agent');
  } catch (error) {
    await stop();
    throw error;
  }

  const ready = { live, agent };
  const self: SelfHelp = {
    ...ready,
    user,
    intruder,
    desktop,
    folder: '',
    async launch(slug, wait = 60) {
      // a fresh folder of junk owned by the user, for the script to clear (or not)
      const folder = mkdtempSync(join(tmpdir(), 'fixpoint-junk-'));
      for (const file of ['a.tmp', 'b.tmp']) writeFileSync(join(folder, file), 'x'.repeat(1000));
      for (const p of [folder, join(folder, 'a.tmp'), join(folder, 'b.tmp')]) chownSync(p, user.uid, user.gid);
      self.folder = folder;
      const res = await ready.live.api('POST', '/executions', { action: 'self-help-cleanup', devices: [ready.agent.deviceId], parameters: { campaign: slug, wait, folder } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return res.body.executions[0].id as string;
    },
    finished: (id, timeoutMs = 90_000) =>
      waitUntil(async () => {
        const e = (await ready.live.api('GET', `/executions/${id}`)).body;
        return ['succeeded', 'failed', 'timed_out', 'canceled', 'expired'].includes(e.status) && e;
      }, timeoutMs, `execution ${id}`),
    responses: async (slug) => (await ready.live.api('GET', `/campaigns/${slug}/responses`)).body.items as any[],
    async answer(shot, clicks, waitMs = 20_000) {
      const end = Date.now() + waitMs;
      let { browser, page } = await desktop.promptPage(waitMs);
      for (;;) {
        try {
          await page.getByRole('radio', { name: 'Yes' }).waitFor();
          break;
        } catch (error) {
          // the window of an earlier prompt may still be closing after its last answer: look again for the new one
          if (!/has been closed/.test(String(error)) || Date.now() > end) throw error;
          await browser.close();
          ({ browser, page } = await desktop.promptPage(Math.max(end - Date.now(), 1000)));
        }
      }
      desktop.screenshot(join(shots, `${shot}-screen.png`));
      await page.screenshot({ path: join(shots, `${shot}-prompt.png`) });
      for (const c of clicks)
        await ('key' in c ? page.keyboard.press(c.key) : page.getByRole(c.role, { name: c.name }).click()).catch((error: unknown) => {
          // a decline or postpone closes the window at once, possibly before the key is even released
          if (c !== clicks.at(-1) || !/has been closed/.test(String(error))) throw error;
        });
      const last = clicks.at(-1);
      if (last && 'name' in last && last.name === 'Finish') {
        await page.getByText('Thank you').waitFor();
        await page.screenshot({ path: join(shots, `${shot}-final.png`) });
      }
      await browser.close();
    },
    stop,
  };
  return self;
}
