/**
 * @module Browser-test harness for the extension: a live backend (in this process, PGlite in a temp dir) with a real
 * enrolled agent process, the ticket fixture server, and Debian's Chromium with the e2e build of the extension loaded.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { AgentProcess, buildAgentBundle } from '../../backend/src/testing/agent-process';
import { enrollmentToken, RawAgent, startLiveBackend, waitUntil, type LiveBackend } from '../../backend/src/testing/live';
import { dockToggle, launchWithExtension, signInExtension, timeTicketRender } from './chromium';
import { deviceName, e2eSites, otherDevices, startFixtureServer, ticketBody, type FixtureServer, type TicketPage } from './tickets';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const extensionDir = join(root, 'dist/extension/chrome-mv3-e2e');
const screenshots = join(root, 'test-results/extension');

/** The help-desk user the extension signs in as: its role lists `greet` only. */
export const helpdesk = { email: 'helpdesk@example.com', name: 'Hana Desk', password: 'helpdesk-password-1' };

/** Writes the parameter it gets to stdout and as a typed output. */
const greetAction = {
  slug: 'greet', name: 'Greet', description: 'Says hello on the device', purpose: 'data_collection',
  scripts: { linux: { shell: 'sh', source: 'echo "hello $FIXPOINT_PARAM_WHO"\nfixpoint output greeting "hi $FIXPOINT_PARAM_WHO"\nexit 0' } },
  parameters: [{ name: 'Who', type: 'string', required: true }],
  outputs: [{ name: 'greeting', type: 'string' }],
};
/** An action the help-desk role does not list. */
const resetAction = {
  slug: 'reset-profile', name: 'Reset profile', description: 'Not for the help desk', purpose: 'remediation',
  scripts: { linux: { shell: 'sh', source: 'echo reset\nexit 0' } },
};

export interface ExtensionHarness {
  live: LiveBackend;
  agent: AgentProcess;
  deviceId: string;
  /** Ids of `otherDevices` by name (enrolled, never connected). */
  otherDeviceIds: Record<(typeof otherDevices)[number], string>;
  fixtures: FixtureServer;
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  /** Signs the extension in through its options page (server address, then email and password), and configures the sites. */
  setUp(email?: string, password?: string): Promise<void>;
  /** Opens a ticket page and waits until the launcher dock shows (the ticket itself is not rendered yet). */
  openShell(ticket: TicketPage): Promise<Page>;
  /** Renders the ticket into an open shell; resolves with the milliseconds until the dock names `device`, painted (see `timeTicketRender`). */
  renderTicket(page: Page, ticket: TicketPage, device?: string): Promise<number>;
  /** Launch audit entries, newest first. */
  launches(): Promise<{ actor: string; details: { requestId: string; action: string; trigger: string; triggerInfo: Record<string, string> } }[]>;
  /** The devices a launch's executions were created for. */
  launchedDevices(requestId: string): Promise<string[]>;
  executionCount(): Promise<number>;
  close(): Promise<void>;
}

export async function startExtensionHarness(): Promise<ExtensionHarness> {
  const bundle = buildAgentBundle();
  const live = await startLiveBackend();
  const fixtures = await startFixtureServer();
  const agent = new AgentProcess(bundle);
  const profile = mkdtempSync(join(tmpdir(), 'fixpoint-chromium-'));
  let context: BrowserContext | undefined;
  try {
    for (const action of [greetAction, resetAction]) {
      const res = await live.api('POST', '/actions', action);
      if (res.status !== 201) throw new Error(`action ${action.slug}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const role = await live.api('POST', '/roles', { name: 'helpdesk', permissions: ['actions:run', 'devices:read'], runnableActions: ['greet'] });
    if (role.status !== 201) throw new Error(`role: ${role.status} ${JSON.stringify(role.body)}`);
    const user = await live.api('POST', '/users', { ...helpdesk, roles: ['helpdesk'] });
    if (user.status !== 201) throw new Error(`user: ${user.status} ${JSON.stringify(user.body)}`);

    const token = await enrollmentToken(live.api);
    await agent.enroll(live.url, token, deviceName);
    const otherDeviceIds = {} as ExtensionHarness['otherDeviceIds'];
    for (const name of otherDevices) otherDeviceIds[name] = (await RawAgent.enroll(live.url, token, name)).deviceId;
    agent.start();
    await waitUntil(() => live.backend.ctx.dispatcher.isOnline(agent.deviceId), 20_000, 'agent connected');

    const browser = await launchWithExtension(extensionDir, profile);
    context = browser.context;
    const { context: ctx, worker, extensionId } = browser;

    return {
      live, agent, deviceId: agent.deviceId, otherDeviceIds, fixtures, context: ctx, extensionId, worker,
      async setUp(email = helpdesk.email, password = helpdesk.password) {
        await signInExtension(browser, { server: live.url, email, password, sites: e2eSites() });
      },
      async openShell(ticket) {
        const page = await ctx.newPage();
        await page.goto(`${fixtures.url}${ticket.path}`);
        await page.locator(dockToggle).waitFor();
        return page;
      },
      async renderTicket(page, ticket, device = deviceName) {
        return (await timeTicketRender(page, ticketBody(ticket), device)).launcher;
      },
      async launches() {
        const res = await live.api('GET', '/audit?action=execution.launch&limit=100');
        return res.body.items;
      },
      async launchedDevices(requestId) {
        const res = await live.api('GET', `/executions?requestId=${requestId}&limit=100`);
        return res.body.items.map((e: { deviceId: string }) => e.deviceId);
      },
      async executionCount() {
        return (await live.api('GET', '/executions?limit=1')).body.total;
      },
      async close() {
        await ctx.close().catch(() => undefined);
        await agent.dispose();
        await fixtures.close();
        await live.stop();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await context?.close().catch(() => undefined);
    await agent.dispose();
    await fixtures.close();
    await live.stop();
    throw err;
  }
}

/** Saves a screenshot under test-results/extension/<name>.png (gitignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

/** How many text boxes of the page (across open shadow roots) hold `text`: textareas by value, editors by text. */
export function boxesHolding(page: Page, text: string): Promise<number> {
  return page.evaluate((text) => {
    let count = 0;
    const visit = (root: Document | ShadowRoot) => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el instanceof HTMLTextAreaElement && el.value.includes(text)) count++;
        else if (el.getAttribute('contenteditable') === 'true' && el.textContent?.includes(text)) count++;
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return count;
  }, text);
}
