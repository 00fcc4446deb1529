/**
 * Generic sites and a panel no page can disturb, in real Chromium with the e2e build, a live backend and an enrolled
 * agent: page text read with cell boundaries and without style or script text, an RTL page, a page whose CSS targets
 * the launcher with `!important` rules, transforms, zoom and an overlay, a field that renders its style sheet before
 * its value, a "device" that is markup, the options page's live preview, and a permission prompt that never shows.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../utils/settings';
import { dockToggle, signInExtension } from './chromium';
import { helpdesk, screenshot, startExtensionHarness, type ExtensionHarness } from './harness';
import { deviceName } from './tickets';

const pages: Record<string, string> = {
  '/rtl/HD-7001': 'rtl-table.html',
  '/hostile/HD-7002': 'hostile.html',
  '/flash/HD-7003': 'style-flash.html',
  '/markup/HD-7004': 'not-hostname.html',
  '/preview/HD-7001': 'rtl-table.html',
};

/** Serves the pages above on 127.0.0.1 (every port is covered by the e2e build's host grant). */
async function servePages(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const file = pages[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(new URL(`pages/${file}`, import.meta.url)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** The generic sites as a user would configure them; /preview/ is left out, for the options page to set up. */
function sites(): Settings['sites'] {
  const site = (id: string, extra: object) => ({ id, label: `Desk ${id}`, pattern: `http://127.0.0.1/${id}/*`, ticketRegex: String.raw`\b(HD-\d+)\b`, ...extra });
  return {
    builtin: defaultSettings().sites.builtin,
    generic: [
      site('rtl', { deviceRegex: String.raw`Device name\s+(\S+)`, userRegex: String.raw`Requested by\s+([^\t\n]+)` }),
      site('hostile', { deviceSelector: '.ci' }),
      site('flash', { deviceSelector: '.ci' }),
      site('markup', {}),
    ],
  };
}

let h: ExtensionHarness;
let site: { url: string; server: Server };

beforeAll(async () => {
  h = await startExtensionHarness();
  site = await servePages();
  await signInExtension(h, { server: h.live.url, email: helpdesk.email, password: helpdesk.password, sites: sites() });
});

afterAll(async () => {
  site?.server.close();
  await h?.close();
});

async function open(path: string): Promise<{ page: Page; toggle: Locator; panel: Locator }> {
  const page = await h.context.newPage();
  await page.goto(`${site.url}${path}`);
  return { page, toggle: page.locator(dockToggle), panel: page.locator('fixpoint-launcher #fp-dock-panel') };
}

/** Computed styles of an element inside the launcher's shadow root. */
function styleOf(page: Page, selector: string, props: string[]): Promise<Record<string, string>> {
  return page.evaluate(({ selector, props }) => {
    const el = document.querySelector('fixpoint-launcher')!.shadowRoot!.querySelector(selector)!;
    const style = getComputedStyle(el);
    return Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
  }, { selector, props });
}

describe('generic sites', () => {
  it('match an expression across a two-cell row, skipping style, script and hidden text, and keep the panel left to right on an RTL page', async () => {
    const { page, toggle, panel } = await open('/rtl/HD-7001');
    await expect.poll(() => toggle.textContent()).toBe(`Fixpoint · ${deviceName}`);
    expect(await styleOf(page, '.fp-dock', ['direction', 'unicode-bidi', 'font-size'])).toEqual({ direction: 'ltr', 'unicode-bidi': 'isolate', 'font-size': '13px' });
    await toggle.click();
    await panel.getByRole('region', { name: `Device ${deviceName}` }).waitFor();
    expect(await styleOf(page, '.fp-launcher', ['direction', 'text-align', 'line-height'])).toEqual({ direction: 'ltr', 'text-align': 'left', 'line-height': '18.85px' });
    // The title row reads left to right: "Fixpoint" at the panel's left edge, the close button at its right.
    const [title, close, box] = await Promise.all([
      panel.getByRole('heading', { name: 'Fixpoint' }).boundingBox(), panel.getByRole('button', { name: 'Close the Fixpoint panel' }).boundingBox(), panel.boundingBox(),
    ]);
    expect(title!.x - box!.x).toBeLessThan(30);
    expect(close!.x).toBeGreaterThan(title!.x + 200);
    await panel.getByText('HD-7001').first().waitFor();
    await screenshot(page, 'generic-rtl');
    await page.close();
  });

  it('never show style text as the device while a field component renders', async () => {
    const { page, toggle } = await open('/flash/HD-7003');
    await expect.poll(() => toggle.textContent(), { timeout: 10_000 }).toBe(`Fixpoint · ${deviceName}`);
    const labels = await page.evaluate(() => (window as unknown as { dockLabels: string[] }).dockLabels);
    expect(labels).toEqual(['Fixpoint', `Fixpoint · ${deviceName}`]);
    await page.close();
  });

  it('do not look up a device field holding markup, and say why in the panel', async () => {
    const { page, toggle, panel } = await open('/markup/HD-7004');
    const markup = '<img src=x onerror="window.pwned = true">';
    await expect.poll(() => toggle.textContent()).toBe(`Fixpoint · ${markup}`);
    await toggle.click();
    const notice = panel.locator('.fp-dock-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toBe(`“${markup}” on this page is not a device name (a host name has only letters, digits, hyphens and dots, not "<"), so it was not looked up. Search for the device below.`);
    expect(await panel.getByRole('searchbox').inputValue()).toBe('');
    expect(await panel.getByText(/devices? match/).count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
    await page.close();
  });
});

describe('the launcher on a hostile page', () => {
  it('stays visible, legible, on top and clickable whatever the page CSS says', async () => {
    const { page, toggle, panel } = await open('/hostile/HD-7002');
    await expect.poll(() => toggle.textContent()).toBe(`Fixpoint · ${deviceName}`);
    const viewport = page.viewportSize()!;
    const box = (await toggle.boundingBox())!;
    expect(Math.abs(viewport.width - 16 - (box.x + box.width))).toBeLessThan(2);
    expect(Math.abs(viewport.height - 16 - (box.y + box.height))).toBeLessThan(2);
    expect(box.height).toBeGreaterThan(25);
    expect(box.height).toBeLessThan(40);
    expect(await styleOf(page, '.fp-dock-toggle', ['font-size', 'color', 'direction', 'writing-mode', 'letter-spacing', 'text-transform'])).toEqual({
      'font-size': '13px', color: 'rgb(255, 255, 255)', direction: 'ltr', 'writing-mode': 'horizontal-tb', 'letter-spacing': 'normal', 'text-transform': 'none',
    });
    // Hit-testing: the point under the button belongs to the launcher, not to the overlay the page added after it.
    await expect.poll(() => page.locator('html > .overlay').count()).toBe(1);
    const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.localName, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
    expect(hit).toBe('fixpoint-launcher');
    await toggle.click();
    await panel.getByRole('region', { name: `Device ${deviceName}` }).waitFor();
    await panel.getByRole('button', { name: /^Greet/ }).click();
    await panel.getByLabel('Who').waitFor();
    // Opening the panel moved nothing: the button stays in the corner and the panel is wholly on screen.
    const [after, shown] = await Promise.all([toggle.boundingBox(), panel.boundingBox()]);
    expect(after).toEqual(box);
    expect(shown!.y).toBeGreaterThanOrEqual(0);
    expect(shown!.y + shown!.height).toBeLessThanOrEqual(box.y);
    await screenshot(page, 'generic-hostile');
    await page.close();
  });
});

describe('the options page', () => {
  it('previews an unsaved generic site on the open tab, live as its fields change', async () => {
    const ticket = await h.context.newPage();
    await ticket.goto(`${site.url}/preview/HD-7001`);
    const options = await h.context.newPage();
    await options.goto(`chrome-extension://${h.extensionId}/options.html`);
    await options.getByRole('button', { name: 'Add a site' }).click();
    const fieldset = options.locator('fieldset').last();
    await fieldset.getByLabel('Name').fill('Preview desk');
    await fieldset.getByLabel('Pages (match pattern)').fill('http://127.0.0.1/preview/*');
    expect(await fieldset.getByLabel(/^Device: field labels/).getAttribute('placeholder')).toBe(
      'Device, Device name, Device hostname, Hostname, Computer, Computer name, Machine, Asset, Asset tag, Configuration item, CI, Affected device',
    );
    expect(await options.getByLabel('Device field labels (comma-separated)').first().getAttribute('placeholder')).toContain('Device hostname');
    await fieldset.getByLabel('Device: regular expression').fill(String.raw`Device name\s+(\S+)`);
    await fieldset.getByLabel('User: regular expression').fill(String.raw`Requested by\s+([^\t\n]+)`);
    await fieldset.getByLabel('Ticket: regular expression').fill(String.raw`\b(HD-\d+)\b`);
    await fieldset.getByRole('button', { name: 'Preview on the open tab' }).click();
    const preview = fieldset.getByRole('status', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toBe(`Here I read, on ${site.url}/preview/HD-7001:Ticket: HD-7001Device: ${deviceName}User: Ana Lopez`);
    // Live: a changed expression is read again without another click.
    await fieldset.getByLabel('Device: regular expression').fill(String.raw`Requested by\s+(\S+)`);
    await expect.poll(() => preview.textContent()).toContain('Device: AnaUser: Ana Lopez');
    // Nothing was saved by previewing.
    const stored = await options.evaluate(async () => ((await chrome.storage.local.get('settings')).settings as Settings).sites.generic.map((s) => s.id));
    expect(stored).toEqual(['rtl', 'hostile', 'flash', 'markup']);
    await screenshot(options, 'options-preview');
    await Promise.all([ticket.close(), options.close()]);
  });

  it('says how to grant access by hand when the browser shows no permission prompt', async () => {
    const options = await h.context.newPage();
    await options.goto(`chrome-extension://${h.extensionId}/options.html`);
    await options.getByLabel('Server address').fill('https://fixpoint.acme.example');
    await options.getByRole('button', { name: 'Save and allow access' }).click();
    const notice = options.locator('.notice').first();
    await expect.poll(() => notice.textContent()).toMatch(/^Waiting for the browser to grant access to the Fixpoint server\. If it shows no prompt: Grant it in the browser's extension settings: in Chrome or Edge, Extensions → Fixpoint → Details → Site access; in Firefox, Add-ons → Fixpoint → Permissions\.$/);
    expect(await options.getByRole('button', { name: 'Save and allow access' }).isEnabled()).toBe(true);
    // The server the extension uses is unchanged until access is granted.
    expect(await options.evaluate(async () => ((await chrome.storage.local.get('settings')).settings as Settings).backendUrl)).toBe(h.live.url);
    await options.close();
  });
});
