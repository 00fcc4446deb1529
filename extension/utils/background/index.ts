/**
 * @module
 * Wires the background: content-script messages, live-status ports, content-script registration, tab clean-up.
 * The entrypoint only calls `startBackground(browser)`.
 */
import type { Browser, WxtBrowser } from 'wxt/browser';
import { createApiClient } from '../api-client';
import { watchPortName } from '../messages';
import { addRecentLaunch, loadAuth, loadSettings, storageKeys, updateRecentStatus } from '../storage';
import { createContentHandler } from './content-handler';
import { syncContentScripts } from './registration';
import { createTabStore } from './tab-state';
import { serveWatchPort } from './watch-port';

/** Starts every background listener. Listeners are added synchronously, as MV3 service workers require. */
export function startBackground(browser: WxtBrowser): void {
  const local = browser.storage.local;
  restrictStorageToExtension();
  const tabs = createTabStore(browser.storage.session);
  const deps = {
    extensionId: browser.runtime.id,
    loadSettings: () => loadSettings(local),
    loadAuth: () => loadAuth(local),
    createClient: (baseUrl: string, token: string) => createApiClient({ baseUrl, token }),
    tabs,
  };
  const handler = createContentHandler({
    ...deps,
    recordLaunch: (launch) => addRecentLaunch(local, launch),
    recordStatus: (id, status) => updateRecentStatus(local, id, status),
    openOptions: () => browser.runtime.openOptionsPage(),
    now: () => new Date(),
  });

  browser.runtime.onMessage.addListener((message: unknown, sender: Browser.runtime.MessageSender) => handler.handle(message, sender));
  browser.runtime.onConnect.addListener((port: Browser.runtime.Port) => {
    if (port.name !== watchPortName) return port.disconnect();
    serveWatchPort(port, { ...deps, onStatus: (id, status) => void updateRecentStatus(local, id, status).catch(() => undefined) });
  });
  browser.tabs.onRemoved.addListener((tabId: number) => void handler.forgetTab(tabId).catch(() => undefined));

  const sync = () => void loadSettings(local).then((s) => syncContentScripts(browser, s)).catch((err) => console.warn('Fixpoint: content script registration failed', err));
  browser.storage.onChanged.addListener((changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && storageKeys.settings in changes) sync();
  });
  browser.permissions.onAdded.addListener(sync);
  browser.permissions.onRemoved.addListener(sync);
  sync();
}

/** Keeps the token out of reach of content scripts where the browser allows it (Chrome). */
function restrictStorageToExtension(): void {
  const chromeLocal = (globalThis as { chrome?: { storage?: { local?: { setAccessLevel?: (o: object) => Promise<void> } } } }).chrome?.storage?.local;
  chromeLocal?.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' })?.catch?.(() => undefined);
}
