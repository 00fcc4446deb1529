/**
 * @module The tray's own windows (self-service, activity) in the desktop end-to-end tests: found by title among the
 * tray browser's pages over its DevTools port, checked with axe-core, screenshot into test-results/tray/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { DesktopSession } from './desktop';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The open tray window titled `title` (a `/t/` page of the tray's browser). */
export async function trayWindow(desktop: DesktopSession, title: string, timeoutMs = 30_000): Promise<{ browser: Browser; page: Page }> {
  const end = Date.now() + timeoutMs;
  const portFile = join(desktop.profileDir, 'DevToolsActivePort');
  for (;;) {
    if (existsSync(portFile)) {
      try {
        const browser = await chromium.connectOverCDP(`http://127.0.0.1:${readFileSync(portFile, 'utf8').split('\n')[0]}`);
        for (const page of browser.contexts().flatMap((c) => c.pages()))
          if (page.url().includes('/t/') && (await page.title()) === title) return { browser, page };
        await browser.close();
      } catch {
        // the browser is still starting, or an old port file
      }
    }
    if (Date.now() > end) throw new Error(`no tray window titled ${JSON.stringify(title)}:\n${desktop.trayLog}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs axe-core in the page and fails on serious or critical findings (as the console's screen tests do). */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };
    // in the page: its globals (the backend's own types know no DOM)
    const page = globalThis as unknown as { document: unknown; axe: { run: (ctx: unknown, opts: object) => Promise<{ violations: Violation[] }> } };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
  expect(bad, `accessibility of ${name}`).toEqual([]);
}
