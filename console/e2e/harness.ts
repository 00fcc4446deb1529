/**
 * @module Browser-test harness: a real backend (PGlite in a temp dir, first admin from FIXPOINT_ADMIN_*) serving
 * the built console, Debian's Chromium driven by playwright-core, screenshots and axe-core checks.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadConfig } from '../../backend/src/config';
import { startBackend, type RunningBackend } from '../../backend/src/server';
import { testPasswordHashing } from '../../backend/src/testing/harness';
import { seedMigratedDataDir } from '../../backend/src/testing/pglite-template';

export const admin = { email: 'admin@example.com', password: 'admin-password-123' };
const screenshots = fileURLToPath(new URL('../../test-results/console/', import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface ConsoleHarness {
  url: string;
  backend: RunningBackend;
  /** A fresh browser context (its own cookies) with one page that records console errors and CSP violations. */
  newPage(): Promise<{ context: BrowserContext; page: Page; problems: string[] }>;
  signIn(page: Page, email?: string, password?: string): Promise<void>;
  /** Screenshots every open page as failed-<test>-<n>.png, to see what the browser showed when a test failed. */
  captureFailure(testName: string): Promise<void>;
  close(): Promise<void>;
}

// One Chromium per test worker, shared by the browser test files it runs in turn (the console project shares its
// workers between files: `isolate: false`); every file works in browser contexts of its own, each with its own
// cookies and storage, and closes them. Playwright kills the browser when the worker exits.
const shared = globalThis as { fixpointConsoleBrowser?: Promise<Browser> };

function workerBrowser(): Promise<Browser> {
  const launched = shared.fixpointConsoleBrowser;
  if (launched) return launched.then((browser) => (browser.isConnected() ? browser : relaunch()));
  return relaunch();
}

function relaunch(): Promise<Browser> {
  const browser = chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  shared.fixpointConsoleBrowser = browser;
  // a failed launch is not kept: the next file tries again
  browser.catch(() => {
    if (shared.fixpointConsoleBrowser === browser) delete shared.fixpointConsoleBrowser;
  });
  return browser;
}

/** `env` adds configuration variables, as the environment would give them. */
export async function startConsoleHarness(env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fixpoint-console-'));
  await seedMigratedDataDir(dataDir); // migrated already: a test run builds one template for all
  const backend = await startBackend({
    ...loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      FIXPOINT_DATA_DIR: dataDir,
      FIXPOINT_ADMIN_EMAIL: admin.email,
      FIXPOINT_ADMIN_PASSWORD: admin.password,
      FIXPOINT_LOG_LEVEL: 'error',
      // the screens test's webhook receiver listens on loopback
      FIXPOINT_WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32',
      // the screens are tested with one admin; approval has its own tests
      FIXPOINT_REQUIRE_APPROVAL: 'false',
      ...env,
    }),
    // as every test backend (backend/src/testing/harness.ts): scrypt at N=2^10, about 2 ms of CPU per sign-in and
    // password set instead of 100 (the seeded admin, dozens of sign-ins a file)
    passwordHashing: testPasswordHashing,
  });
  const browser = await workerBrowser();
  const contexts: BrowserContext[] = [];
  return {
    url: backend.url,
    backend,
    async newPage() {
      const context = await browser.newContext({ baseURL: backend.url, viewport: { width: 1280, height: 860 }, acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        // 4xx answers the tests provoke on purpose are logged by the browser as failed loads; the tests check what the page shows.
        if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      return { context, page, problems };
    },
    async signIn(page, email = admin.email, password = admin.password) {
      await page.goto('/login');
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
    },
    async captureFailure(testName) {
      const pages = contexts.flatMap((c) => c.pages());
      for (const [i, page] of pages.entries())
        await screenshot(page, `failed-${testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}-${i}`).catch(() => {});
    },
    async close() {
      // the browser stays for the worker's next file (workerBrowser)
      for (const c of contexts) await c.close().catch(() => {});
      await backend.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot under test-results/console/<name>.png (gitignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page (through the debugger, so the page's CSP stays strict) and fails on serious or critical issues. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(report, `accessibility of ${name}`).toEqual([]);
}

/** Waits for the visible notice (the live region repeats it for screen readers, hence not getByText). */
export async function waitForNotice(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('main .alert', { hasText: text }).first().waitFor();
}

/** A signed-in fetch against the backend, for arranging data and for checking what the API allows. */
export async function apiSession(url: string, email = admin.email, password = admin.password) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}
