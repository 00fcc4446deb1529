/**
 * The tray: from an action script spawning `fixpoint campaign` to the prompt being visible in the tray's window. Real
 * processes only, as in the self-help end-to-end test: a bench backend, the bundled agent (root) and the bundled tray
 * client running as a local account in a desktop session (Xvfb, a session bus, dunst) — see backend/src/testing/desktop.ts.
 *
 * The script prints the wall clock just before it runs `fixpoint campaign`. The end is the browser's own paint timing
 * of the prompt page, read over the app window's DevTools port once the question shows: the page's body is empty until
 * the prompt element renders (title, question, choices and buttons in one frame), so its first contentful paint (or a
 * later largest-contentful-paint candidate, if any) is the prompt becoming visible. Each prompt is then declined, which
 * closes the window, so every run opens a new one: in the browser the tray keeps warm, or with
 * `FIXPOINT_TRAY_BROWSER_WARM=0` in the bench's environment, in a browser started for it. With the warm browser the
 * suite also reports that browser's memory at rest, after the prompts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { AgentProcess, buildAgentBundle } from '../backend/src/testing/agent-process';
import { waitUntil } from '../backend/src/testing/wait';
import { buildTrayBundle, closeSession, createLocalUser, DesktopSession, openSession, removeLocalUser, runtimeDir, traySocket, type LocalUser } from '../backend/src/testing/desktop';
import { chromiumPath } from '../extension/e2e/chromium';
import { startBackend, type BenchBackend } from './lib/backend';
import { nameHelper } from './lib/page';
import type { Figure } from './lib/report';
import { median, percentile } from './lib/stats';
import { poster } from './fleet/devices';

const target = '≤ 500 ms';
const name = 'Tray: `fixpoint campaign` → prompt visible';

const campaign = {
  slug: 'bench-prompt',
  name: 'Bench prompt',
  allowDecline: true,
  allowPostpone: false,
  branding: { title: { en: 'IT department' } },
  questions: [
    {
      id: 'restart',
      type: 'single',
      text: { en: 'Updates are waiting. Restart your computer **now**?' },
      choices: [
        { id: 'yes', label: { en: 'Yes' } },
        { id: 'no', label: { en: 'No' } },
      ],
    },
  ],
  finalMessage: { en: 'Thank you.' },
  expirySec: 600,
};

const action = {
  slug: 'bench-ask',
  name: 'Ask the user',
  purpose: 'remediation',
  runAs: 'user',
  timeoutSec: 120,
  scripts: { linux: { shell: 'sh', source: 'echo "asked-at $(date +%s%3N)"\nfixpoint campaign bench-prompt --timeout 60\nexit 0' } },
};

/** What is missing on this machine for a desktop session, if anything. */
function missing(): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'needs Linux and root (it creates a local account)';
  if (!existsSync(chromiumPath)) return `no Chromium at ${chromiumPath}`;
  for (const tool of ['Xvfb', 'dunst', 'dbus-run-session']) if (spawnSync('which', [tool]).status !== 0) return `no ${tool}`;
  return null;
}

interface Sample {
  /** The script's wall clock just before `fixpoint campaign` (ms since the epoch). */
  askedAt: number;
  /** When the tray client had asked for the window (started the browser, or handed the URL to the warm one): its `prompt shown` log line (ms since the epoch). */
  spawnedAt: number;
  /** The window's navigation start and the prompt's first contentful paint (ms since the epoch). */
  navigationAt: number;
  paintedAt: number;
}

/** One prompt: launch the action, wait for the window, read its paint timing, decline, wait for the script's end. */
async function askOnce(backend: BenchBackend, token: string, desktop: DesktopSession, deviceId: string): Promise<Sample> {
  const auth = { authorization: `Bearer ${token}` };
  const logFrom = desktop.trayLog.length;
  const { executions } = (await poster(backend, token)('/executions', { action: action.slug, devices: [deviceId], parameters: {} })) as { executions: { id: string }[] };
  const id = executions[0]!.id;
  const { browser, page } = await desktop.promptPage(30_000);
  let painted: { navigationAt: number; paintedAt: number };
  try {
    await page.getByRole('radio', { name: 'Yes' }).waitFor();
    await page.evaluate(nameHelper);
    // Paint entries are reported once the frame is presented, which can be after the question is in the DOM.
    painted = await page.evaluate(
      () =>
        new Promise<{ navigationAt: number; paintedAt: number }>((resolve, reject) => {
          const seen: Record<string, number> = {};
          const timer = setTimeout(() => reject(new Error(`no paint entries: ${JSON.stringify(seen)}`)), 5000);
          const take = (list: PerformanceObserverEntryList) => {
            for (const e of list.getEntries()) if (e.entryType === 'largest-contentful-paint' || e.name === 'first-contentful-paint') seen[e.entryType] = e.startTime;
            if (seen.paint === undefined || seen['largest-contentful-paint'] === undefined) return;
            clearTimeout(timer);
            resolve({ navigationAt: performance.timeOrigin, paintedAt: performance.timeOrigin + Math.max(seen.paint, seen['largest-contentful-paint']) });
          };
          new PerformanceObserver(take).observe({ type: 'paint', buffered: true });
          new PerformanceObserver(take).observe({ type: 'largest-contentful-paint', buffered: true });
        }),
    );
    await page.getByRole('button', { name: 'No thanks' }).click().catch((error: unknown) => {
      // the decline closes the window at once, possibly before the click has returned
      if (!/has been closed/.test(String(error))) throw error;
    });
  } finally {
    await browser.close().catch(() => undefined);
  }
  const done = await waitUntil(async () => {
    const res = await fetch(`${backend.url}/api/v1/executions/${id}`, { headers: auth });
    const e = (await res.json()) as { status: string; stdoutTail?: string };
    return ['succeeded', 'failed', 'timed_out', 'canceled', 'expired'].includes(e.status) ? e : null;
  }, 30_000, `execution ${id}`);
  const asked = /asked-at (\d+)/.exec(done.stdoutTail ?? '');
  if (done.status !== 'succeeded' || !asked) throw new Error(`the asking script ${done.status}: ${done.stdoutTail}`);
  await waitUntil(async () => !(await desktop.promptWindowOpen()), 15_000, 'the prompt window to close');
  const shown = desktop.trayLog
    .slice(logFrom)
    .split('\n')
    .find((l) => l.includes('"prompt shown"'));
  if (!shown) throw new Error('the tray never logged the prompt');
  return { askedAt: Number(asked[1]), spawnedAt: Date.parse((JSON.parse(shown) as { t: string }).t), ...painted };
}

async function measure(runs: number): Promise<Figure[]> {
  const suffix = String(process.pid % 100_000);
  let user: LocalUser | undefined;
  let desktop: DesktopSession | undefined;
  let agent: AgentProcess | undefined;
  let backend: BenchBackend | undefined;
  // A private session base: an agent serves every session under its base, so a self-help test running on the same
  // machine and this bench would otherwise each answer the other's tray.
  const base = `/run/fixpoint-bench-${process.pid}`;
  try {
    user = createLocalUser(`fpb${suffix}`);
    openSession(user, base);
    const [agentBundle, trayBundle] = [buildAgentBundle(), buildTrayBundle()];
    desktop = new DesktopSession(user, trayBundle);
    await desktop.startX();

    backend = await startBackend();
    const token = await backend.token();
    const post = poster(backend, token);
    await post('/campaigns', campaign);
    await post(`/campaigns/${campaign.slug}/publish`, {});
    await post('/actions', action);
    const { token: enrollToken } = (await post('/enrollment-tokens', { oneTime: true })) as { token: string };

    agent = new AgentProcess(agentBundle, { env: { FIXPOINT_AGENT_CONSOLE_USER: user.name, FIXPOINT_AGENT_RUNTIME_BASE: base, FIXPOINT_AGENT_LOG_LEVEL: 'warn' } });
    const deviceId = await agent.enroll(backend.url, enrollToken, 'bench-desktop');
    agent.start();
    const session = runtimeDir(user, base);
    await waitUntil(() => existsSync(traySocket(user!).socket), 20_000, 'the tray socket');
    // FIXPOINT_TRAY_BROWSER_WARM=0 in the bench's environment measures the tray without its warm browser
    const warm = process.env.FIXPOINT_TRAY_BROWSER_WARM !== '0';
    desktop.startTray({ XDG_RUNTIME_DIR: session, FIXPOINT_TRAY_BROWSER_WARM: warm ? '1' : '0' });
    await desktop.trayLogged('connected to the agent');

    // The first prompt also pays for the agent's connection, the profile's first use and cold caches.
    await askOnce(backend, token, desktop, deviceId);
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await askOnce(backend, token, desktop, deviceId));

    // the warm browser at rest, between prompts
    await new Promise((r) => setTimeout(r, 3000));
    const memory = desktop.browserMemory();

    const visible = samples.map((s) => s.paintedAt - s.askedAt);
    const part = (from: keyof Sample, to: keyof Sample) => median(samples.map((s) => s[to] - s[from])).toFixed(0);
    const note =
      `${runs} prompts, each in a new window${warm ? ' of the warm browser' : ' of a new browser'}; medians: to the tray opening the window ${part('askedAt', 'spawnedAt')} ms, ` +
      `then to the page's navigation start ${part('spawnedAt', 'navigationAt')} ms, then to painted ${part('navigationAt', 'paintedAt')} ms`;
    const figures: Figure[] = [
      { name: `${name}, p50`, value: median(visible), unit: 'ms', target, ok: median(visible) <= 500, note },
      { name: `${name}, p95`, value: percentile(visible, 95), unit: 'ms', target, ok: percentile(visible, 95) <= 500 },
    ];
    if (warm)
      figures.push({
        name: 'Tray: the browser kept warm, at rest (PSS)',
        value: memory.pss / 2 ** 20,
        unit: 'MiB',
        target: 'reference',
        note: `${memory.processes} processes; anonymous memory ${(memory.anonymous / 2 ** 20).toFixed(0)} MiB, RSS summed ${(memory.rss / 2 ** 20).toFixed(0)} MiB (shared pages counted in each process)`,
      });
    return figures;
  } finally {
    await desktop?.stop();
    await agent?.dispose();
    await backend?.stop();
    if (user) {
      closeSession(user, base);
      removeLocalUser(user);
    }
    rmSync(base, { recursive: true, force: true });
  }
}

export async function benchTray(options: { runs: number }): Promise<Figure[]> {
  const absent = missing();
  if (absent) return [{ name, value: NaN, unit: 'ms', target, ok: false, note: `failed: ${absent}` }];
  try {
    return await measure(options.runs);
  } catch (err) {
    return [{ name, value: NaN, unit: 'ms', target, ok: false, note: `failed: ${(err as Error).message}` }];
  }
}
