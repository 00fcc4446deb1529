/**
 * @module Debian's Chromium with an unpacked build of the extension loaded, the extension signed in through its
 * options page as a user does it, and the in-page clock for "ticket rendered → launcher visible". Shared by the
 * browser tests (harness.ts) and the benchmark (bench/extension.ts).
 */
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import type { Settings } from '../utils/settings';

export const chromiumPath = '/usr/bin/chromium';

export interface ExtensionBrowser {
  context: BrowserContext;
  /** The extension's service worker. */
  worker: Worker;
  extensionId: string;
}

/** Starts Chromium (new headless, which runs extensions) with a fresh profile in `profileDir` and the extension in `extensionDir`. */
export async function launchWithExtension(extensionDir: string, profileDir: string): Promise<ExtensionBrowser> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`,
    ],
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    return { context, worker, extensionId: new URL(worker.url()).host };
  } catch (err) {
    await context.close().catch(() => undefined);
    throw err;
  }
}

export interface SignInOptions {
  server: string;
  email: string;
  password: string;
  /** Written to the extension's storage after sign-in, as a user would configure them in the sites editor. */
  sites: Settings['sites'];
}

/**
 * Signs the extension in through its options page (server address, then email and password), configures the sites,
 * and waits until the background has registered the launcher for every site pattern.
 */
export async function signInExtension(browser: ExtensionBrowser, options: SignInOptions): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await page.getByLabel('Server address').fill(options.server);
  await page.getByRole('button', { name: 'Save and allow access' }).click();
  await page.getByText('Server saved').waitFor();
  await page.getByLabel('Email', { exact: true }).fill(options.email);
  await page.getByLabel('Password', { exact: true }).fill(options.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const outcome = page.locator('.notice').first();
  await outcome.waitFor();
  const said = await outcome.textContent();
  if (!said?.startsWith('Signed in as')) throw new Error(`sign-in failed: ${said}`);
  // Site patterns are set in storage directly: the sites editor has its own tests, and test patterns are unusual.
  await page.evaluate(async (sites) => {
    const { settings } = await chrome.storage.local.get('settings');
    await chrome.storage.local.set({ settings: { ...(settings as object), sites } });
  }, options.sites);
  const patterns = new Set([
    ...Object.values(options.sites.builtin).flatMap((s) => (s.enabled ? s.patterns : [])),
    ...options.sites.generic.map((s) => s.pattern),
  ]).size;
  await browser.worker.evaluate(async (patterns) => {
    const end = Date.now() + 10_000;
    while ((await chrome.scripting.getRegisteredContentScripts()).flatMap((s) => s.matches ?? []).length < patterns) {
      if (Date.now() > end) throw new Error('the launcher was never registered for the sites');
      await new Promise((r) => setTimeout(r, 25));
    }
  }, patterns);
  await page.close();
}

/** The dock's toggle button; it reads `Fixpoint` until the page names a device, then `Fixpoint · <device>`. */
export const dockToggle = 'fixpoint-launcher .fp-dock-toggle';

export interface RenderTiming {
  /** Milliseconds from inserting the ticket until the dock names the device and the frame showing it is painted. */
  launcher: number;
  /** The bare baseline: until a plain MutationObserver of the page sees the inserted ticket and the frame showing it is painted. */
  bare: number;
}

/**
 * Renders a ticket's body into an open shell page the way a single-page tool renders late (`setHTMLUnsafe`, which
 * attaches declarative shadow roots as a parser would), and times it in the page with `performance.now()`.
 *
 * "Painted" is the first task after the rendering update of the frame that shows the change: a change made inside a
 * frame (the launcher reads the page in a requestAnimationFrame callback) shows in that frame; one made outside it
 * shows in the next.
 */
export function timeTicketRender(page: Page, body: string, device: string, timeoutMs = 10_000): Promise<RenderTiming> {
  return page.evaluate(
    ({ body, device, timeoutMs }) =>
      new Promise<RenderTiming>((resolve, reject) => {
        const toggle = () => document.querySelector('fixpoint-launcher')?.shadowRoot?.querySelector('.fp-dock-toggle');
        const afterTask = (fn: () => void) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => fn();
          channel.port2.postMessage(null);
        };
        // Whether the page is inside a frame's rendering update: set by the first animation-frame callback of each
        // frame (this one is registered before the launcher's), cleared by the first task after the frame.
        let inFrame = false;
        let stopped = false;
        const frames = () => {
          if (stopped) return;
          inFrame = true;
          afterTask(() => (inFrame = false));
          requestAnimationFrame(frames);
        };
        requestAnimationFrame(frames);
        const painted = (fn: () => void) => (inFrame ? afterTask(fn) : requestAnimationFrame(() => afterTask(fn)));

        const timing: Partial<RenderTiming> = {};
        const settle = () => {
          if (timing.launcher === undefined || timing.bare === undefined) return;
          stopped = true;
          clearTimeout(timer);
          resolve(timing as RenderTiming);
        };
        const timer = setTimeout(() => {
          stopped = true;
          reject(new Error(`the dock never named ${device}: ${toggle()?.textContent}`));
        }, timeoutMs);

        const start = performance.now();
        const bare = new MutationObserver(() => {
          bare.disconnect();
          painted(() => ((timing.bare = performance.now() - start), settle()));
        });
        bare.observe(document.body, { childList: true, subtree: true });
        (document.body as HTMLElement & { setHTMLUnsafe(html: string): void }).setHTMLUnsafe(body);
        // Watch the dock's shadow tree for the label change (a page-level observer does not see into it).
        const named = new MutationObserver(() => {
          if (!toggle()?.textContent?.includes(device)) return;
          named.disconnect();
          painted(() => ((timing.launcher = performance.now() - start), settle()));
        });
        named.observe(document.querySelector('fixpoint-launcher')!.shadowRoot!, { subtree: true, childList: true, characterData: true });
      }),
    { body, device, timeoutMs },
  );
}

/** Puts the shell's `body` back (no ticket) and waits until the dock has dropped the device name and a frame has passed. */
export async function clearTicket(page: Page, body: string, device: string): Promise<void> {
  await page.evaluate(
    ({ body, device }) =>
      new Promise<void>((resolve, reject) => {
        (document.body as HTMLElement & { setHTMLUnsafe(html: string): void }).setHTMLUnsafe(body);
        const timer = setTimeout(() => reject(new Error('the dock kept the device name')), 10_000);
        const check = () => {
          const label = document.querySelector('fixpoint-launcher')?.shadowRoot?.querySelector('.fp-dock-toggle')?.textContent;
          if (label && !label.includes(device)) {
            clearTimeout(timer);
            requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
          } else requestAnimationFrame(check);
        };
        check();
      }),
    { body, device },
  );
}
