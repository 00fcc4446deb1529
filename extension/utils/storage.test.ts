import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { configuredPatterns, defaultSettings, siteConfigForUrl, type RecentLaunch } from './settings';
import { addRecentLaunch, loadRecentLaunches, loadSettings, saveSettings, storageKeys, updateRecentStatus } from './storage';

const local = () => fakeBrowser.storage.local;
const launch = (n: number): RecentLaunch => ({
  requestId: `r${n}`, executionId: `e${n}`, action: 'restart-vpn', actionName: 'Restart VPN client', deviceName: 'LT-1',
  site: 'jira', ticketId: `ITSM-${n}`, status: 'queued', at: '2026-11-20T10:00:00.000Z',
});

beforeEach(() => fakeBrowser.reset());

describe('storage', () => {
  it('falls back to defaults when stored settings are damaged, and refuses to save invalid ones', async () => {
    await local().set({ [storageKeys.settings]: { backendUrl: 42 } });
    expect(await loadSettings(local())).toEqual(defaultSettings());
    await expect(saveSettings(local(), { ...defaultSettings(), backendUrl: 'ftp://x' })).rejects.toThrow();
    await expect(saveSettings(local(), { ...defaultSettings(), extra: true })).rejects.toThrow();
    const saved = await saveSettings(local(), { ...defaultSettings(), backendUrl: 'https://fp.acme.example/' });
    expect(saved.backendUrl).toBe('https://fp.acme.example');
  });

  it('keeps the newest 20 launches and updates their status, even when writes interleave', async () => {
    await Promise.all(Array.from({ length: 25 }, (_, i) => addRecentLaunch(local(), launch(i))));
    await Promise.all([updateRecentStatus(local(), 'e24', 'running'), updateRecentStatus(local(), 'e23', 'succeeded')]);
    const list = await loadRecentLaunches(local());
    expect(list).toHaveLength(20);
    expect(list[0]).toMatchObject({ executionId: 'e24', status: 'running' });
    expect(list[1]).toMatchObject({ executionId: 'e23', status: 'succeeded' });
    await local().set({ [storageKeys.recent]: [{ bogus: true }, launch(99)] });
    expect((await loadRecentLaunches(local())).map((l) => l.executionId)).toEqual(['e99']);
  });
});

describe('site configuration', () => {
  it('finds the enabled site for a page and lists the patterns to register', () => {
    const settings = defaultSettings();
    settings.sites.builtin.zendesk.enabled = true;
    settings.sites.generic.push({ id: 'acme', label: 'Acme', pattern: 'https://hd.acme.example/tickets/*' });
    expect(siteConfigForUrl(settings, 'https://acme.zendesk.com/agent/tickets/1')).toMatchObject({ kind: 'builtin', id: 'zendesk' });
    expect(siteConfigForUrl(settings, 'https://acme.atlassian.net/browse/X-1')).toBeNull();
    expect(siteConfigForUrl(settings, 'https://hd.acme.example/tickets/9')).toMatchObject({ kind: 'generic', site: { id: 'acme' } });
    expect(configuredPatterns(settings)).toEqual(['https://*.zendesk.com/*', 'https://hd.acme.example/tickets/*']);
  });
});
