import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { sampleMe } from '../testing/samples';
import { defaultSettings } from '../utils/settings';
import { loadAuth, loadSettings, saveAuth, saveSettings } from '../utils/storage';
import { createOptionsStore, originsOf, type OptionsHost } from './options-store';
import { formFromSites, sitesFromForm } from './sites-form';

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

function host(grant = true) {
  const granted = new Set<string>();
  const permissions = {
    request: vi.fn(async ({ origins }: { origins: string[] }) => {
      if (grant) origins.forEach((o) => granted.add(o));
      return grant;
    }),
    contains: vi.fn(async ({ origins }: { origins: string[] }) => origins.every((o) => granted.has(o))),
  };
  const fetch = vi.fn(async (url: string) => (url.endsWith('/auth/me') ? json(sampleMe()) : json({ token: 'fp_pat_session', expiresAt: null })));
  return { storage: fakeBrowser.storage.local, permissions, openTab: vi.fn(), fetch: fetch as unknown as typeof globalThis.fetch } satisfies OptionsHost;
}

beforeEach(() => fakeBrowser.reset());

describe('options store', () => {
  it('asks for access to the server before saving it, and signs out when the server changes', async () => {
    const h = host();
    const store = createOptionsStore(h);
    await store.load();
    await store.saveBackendUrl('https://fp.acme.example/');
    expect(h.permissions.request).toHaveBeenCalledWith({ origins: ['https://fp.acme.example/*'] });
    expect((await loadSettings(h.storage)).backendUrl).toBe('https://fp.acme.example');
    await store.signInWithSession();
    expect(store.auth.value?.token).toBe('fp_pat_session');
    await store.saveBackendUrl('https://other.acme.example');
    expect(await loadAuth(h.storage)).toBeNull();
    expect(store.auth.value).toBeNull();
  });

  it('keeps the old server when access is refused or the address is bad', async () => {
    const h = host(false);
    const store = createOptionsStore(h);
    await store.load();
    await store.saveBackendUrl('https://fp.acme.example');
    expect(store.notice.value).toEqual({ kind: 'error', text: 'Access to the Fixpoint server was not granted' });
    await store.saveBackendUrl('javascript:alert(1)');
    expect(store.notice.value?.kind).toBe('error');
    await store.saveBackendUrl('https://user:pw@fp.acme.example');
    expect(store.notice.value?.kind).toBe('error');
    expect((await loadSettings(h.storage)).backendUrl).toBeNull();
  });

  it('saves sites and requests access to their origins in one go', async () => {
    const h = host();
    await saveSettings(h.storage, { ...defaultSettings(), backendUrl: 'https://fp.acme.example' });
    await saveAuth(h.storage, { token: 'fp_pat_0123456789', expiresAt: null, name: 'Beth', email: null });
    const store = createOptionsStore(h);
    await store.load();
    const form = formFromSites(store.settings.value!.sites);
    form.builtin.servicenow.enabled = true;
    form.builtin.servicenow.patterns += '\nhttps://itsm.acme.example/*';
    form.generic.push({ id: 'acme', label: 'Acme', pattern: 'https://hd.acme.example/tickets/*', deviceSelector: '.machine', deviceRegex: '', userSelector: '', userRegex: '', ticketSelector: '', ticketRegex: '', commentSelector: '' });
    await store.saveSites(sitesFromForm(form));
    expect(h.permissions.request).toHaveBeenCalledWith({ origins: ['https://*.service-now.com/*', 'https://itsm.acme.example/*', 'https://hd.acme.example/*'] });
    expect(store.granted.value['https://hd.acme.example/tickets/*']).toBe(true);
    expect((await loadSettings(h.storage)).sites.generic[0]?.deviceSelector).toBe('.machine');
    expect(store.notice.value).toEqual({ kind: 'ok', text: 'Sites saved' });
  });

  it('refuses invalid sites without saving or asking for anything', async () => {
    const h = host();
    const store = createOptionsStore(h);
    await store.load();
    const form = formFromSites(store.settings.value!.sites);
    form.builtin.jira.patterns = 'https://*/*';
    await store.saveSites(sitesFromForm(form));
    expect(store.notice.value?.kind).toBe('error');
    expect(h.permissions.request).not.toHaveBeenCalled();
  });

  it('dedupes origins', () => {
    expect(originsOf(['https://a.example/x/*', 'https://a.example/y/*', 'bad'])).toEqual(['https://a.example/*']);
  });
});
