import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { sampleMe } from '@fixpoint/launcher/testing/samples';
import { defaultSettings } from '../utils/settings';
import { loadAuth, loadSettings, saveAuth, saveSettings } from '../utils/storage';
import { createOptionsStore, describePreview, originsOf, type OptionsHost } from './options-store';
import { formFromSites, sitesFromForm } from './sites-form';

/** The extension-token answer as the backend sends it (a CreatedToken). */
const createdToken = (token: string, expiresAt: string) => ({
  id: '6c1f7a52-3e2b-4f0a-9d8c-7b6a5e4d3c2b', name: 'Browser extension', prefix: token.slice(0, 11), permissions: ['actions:run'],
  token, expiresAt, lastUsedAt: null, createdAt: '2026-12-01T00:00:00.000Z',
});

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
  const fetch = vi.fn(async (url: string) => (url.endsWith('/auth/me') ? json(sampleMe()) : json(createdToken('fp_pat_session', '2027-01-01T00:00:00.000Z'))));
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
    expect(store.notice.value?.kind).toBe('error');
    expect(store.notice.value?.text).toMatch(/^The server was not saved\. The browser did not grant access to https:\/\/fp\.acme\.example\/\*\. .*Extensions → Fixpoint → Details → Site access.*Add-ons → Fixpoint → Permissions/);
    expect((await loadSettings(h.storage)).backendUrl).toBeNull();
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
    form.generic.push({ id: 'acme', label: 'Acme', pattern: 'https://hd.acme.example/tickets/*', deviceSelector: '.machine', deviceRegex: '', deviceLabels: '', userSelector: '', userRegex: '', ticketSelector: '', ticketRegex: '', commentSelector: '' });
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

  it('says how to grant access by hand when the request throws, resolves false or never answers', async () => {
    const h = host();
    h.permissions.request.mockImplementationOnce(() => {
      throw new Error('This function must be called during a user gesture');
    });
    const store = createOptionsStore(h);
    await store.load();
    await store.saveBackendUrl('https://fp.acme.example');
    expect(store.notice.value?.kind).toBe('error');
    expect(store.notice.value?.text).toMatch(/could not ask for access to https:\/\/fp\.acme\.example\/\* \(This function must be called during a user gesture\)\. Grant it in the browser's extension settings/);

    h.permissions.request.mockResolvedValueOnce(false);
    const form = formFromSites(store.settings.value!.sites);
    form.builtin.zendesk.enabled = true;
    await store.saveSites(sitesFromForm(form));
    expect((await loadSettings(h.storage)).sites.builtin.zendesk.enabled).toBe(true);
    expect(store.notice.value?.text).toMatch(/^Sites saved, but the launcher stays off on them until access is granted\. The browser did not grant access to https:\/\/\*\.zendesk\.com\/\*\. Grant it/);

    h.permissions.request.mockReturnValueOnce(new Promise<boolean>(() => undefined));
    void store.saveBackendUrl('https://fp.acme.example');
    await vi.waitFor(() => expect(store.notice.value?.kind).toBe('info'));
    expect(store.notice.value?.text).toMatch(/^Waiting for the browser to grant access to the Fixpoint server\. If it shows no prompt: Grant it in .*Site access/);
    expect(store.busy.value).toBe(false);
  });

  it('previews a generic site on an open tab, asking for access from the click only', async () => {
    const h = { ...host(), previewSite: vi.fn(async () => ({ url: 'https://hd.acme.example/tickets/1', facts: { ticketId: 'HD-1', device: '<b>x</b>' } })) };
    const store = createOptionsStore(h);
    await store.load();
    const site = { id: 'acme', label: 'Acme', pattern: 'https://hd.acme.example/tickets/*', deviceRegex: 'Device (\\S+)' };
    await store.previewSite('acme', site, false);
    expect(store.previews.value.acme).toEqual({ kind: 'problem', text: 'Access to https://hd.acme.example/* is not granted yet.' });
    expect(h.permissions.request).not.toHaveBeenCalled();
    await store.previewSite('acme', site, true);
    expect(h.permissions.request).toHaveBeenCalledWith({ origins: ['https://hd.acme.example/*'] });
    expect(h.previewSite).toHaveBeenCalledWith(site);
    const state = store.previews.value.acme;
    expect(state?.kind).toBe('read');
    expect(describePreview(state?.kind === 'read' ? state.preview.facts : {})).toEqual([
      'Ticket: HD-1', 'Device: <b>x</b> (not a host name: the launcher will not look it up)', 'User: not found',
    ]);
    h.previewSite.mockResolvedValueOnce(null as never);
    await store.previewSite('acme', site, false);
    expect(store.previews.value.acme).toMatchObject({ kind: 'problem', text: expect.stringMatching(/^No open tab shows a page of/) });
    h.permissions.request.mockReturnValueOnce(new Promise<boolean>(() => undefined));
    void store.previewSite('acme', site, true);
    await vi.waitFor(() => expect(store.previews.value.acme).toMatchObject({ kind: 'problem', text: expect.stringMatching(/^Waiting for the browser to grant access to https:\/\/hd\.acme\.example\/\*\. If it shows no prompt: Grant it/) }));
    await store.previewSite('acme', { ...site, deviceRegex: '(' }, false);
    expect(store.previews.value.acme).toMatchObject({ kind: 'problem', text: expect.stringContaining('deviceRegex') });
  });
});
