import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Browser } from 'wxt/browser';
import { ApiError, type ApiClient } from '../api-client';
import { defaultSettings, type RecentLaunch } from '../settings';
import { loadAuth, loadSettings, saveAuth, saveSettings } from '../storage';
import { createContentHandler } from './content-handler';
import { createTabStore } from './tab-state';
import { deviceId, executionId, otherDeviceId, requestId, sampleAction, sampleActionWithVersion, sampleDevice, sampleExecution, sampleMe } from '@fixpoint/launcher/testing/samples';

const pageUrl = 'https://acme.service-now.com/incident.do?sys_id=a838';
const local = () => fakeBrowser.storage.local;

function fakeClient() {
  return {
    me: vi.fn(async () => sampleMe()),
    searchDevices: vi.fn(async () => [sampleDevice()]),
    listActions: vi.fn(async () => [sampleAction(), sampleAction({ slug: 'wipe-disk', name: 'Wipe disk' }), sampleAction({ slug: 'flush-dns', name: 'Flush DNS', platforms: ['linux'] })]),
    getAction: vi.fn(async () => sampleActionWithVersion()),
    launch: vi.fn(async () => ({ requestId, executions: [{ id: executionId, deviceId, status: 'queued' as const }] })),
    getExecution: vi.fn(async () => sampleExecution()),
  };
}

let client: ReturnType<typeof fakeClient>;
let recorded: RecentLaunch[];
let statuses: string[];

function makeHandler() {
  return createContentHandler({
    extensionId: fakeBrowser.runtime.id,
    loadSettings: () => loadSettings(local()),
    loadAuth: () => loadAuth(local()),
    createClient: () => client as unknown as ApiClient,
    tabs: createTabStore(fakeBrowser.storage.session),
    recordLaunch: async (l) => void recorded.push(l),
    recordStatus: async (id, status) => void statuses.push(`${id}:${status}`),
    openOptions: vi.fn(async () => undefined),
    now: () => new Date('2026-11-20T10:00:00Z'),
  });
}

const sender = (over: Partial<Browser.runtime.MessageSender> = {}): Browser.runtime.MessageSender => ({
  id: fakeBrowser.runtime.id, tab: { id: 5 } as Browser.tabs.Tab, frameId: 0, url: pageUrl, ...over,
});

beforeEach(async () => {
  fakeBrowser.reset();
  client = fakeClient();
  recorded = [];
  statuses = [];
  const settings = defaultSettings();
  settings.backendUrl = 'https://fp.acme.example';
  settings.sites.builtin.servicenow.enabled = true;
  await saveSettings(local(), settings);
  await saveAuth(local(), { token: 'fp_pat_0123456789', expiresAt: null, name: 'Beth Anglin', email: 'beth@acme.example' });
});

describe('content message handler', () => {
  it('greets a configured page and keeps what the adapter reported', async () => {
    const handler = makeHandler();
    const hello = await handler.handle({ type: 'hello' }, sender());
    expect(hello).toMatchObject({ ok: true, data: { signedIn: true, site: { kind: 'builtin', id: 'servicenow' } } });
    expect(await handler.handle({ type: 'page', adapter: 'servicenow', facts: { device: 'LT-ABEL-0042', ticketId: 'INC0010023' } }, sender())).toEqual({ ok: true, data: null });
  });

  it.each([
    ['another extension', sender({ id: 'someone-else' })],
    ['a sub-frame', sender({ frameId: 3 })],
    ['a page that is not a configured site', sender({ url: 'https://evil.example/incident.do' })],
    ['no tab', sender({ tab: undefined })],
  ])('refuses messages from %s', async (_name, from) => {
    const res = await makeHandler().handle({ type: 'hello' }, from);
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it.each([
    [{ type: 'deleteEverything' }],
    [{ type: 'hello', extra: 1 }],
    [{ type: 'searchDevices', query: 'x'.repeat(201) }],
    [{ type: 'listActions', deviceId: "1' OR '1'='1" }],
    [{ type: 'launch', action: 'restart-vpn', deviceId, parameters: { p: { nested: true } } }],
    ['not an object'],
    [null],
  ])('refuses malformed message %j', async (message) => {
    const handler = makeHandler();
    await handler.handle({ type: 'hello' }, sender());
    expect(await handler.handle(message, sender())).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('launches only on devices this tab looked up, with the ticket the page reported', async () => {
    const handler = makeHandler();
    await handler.handle({ type: 'hello' }, sender());
    await handler.handle({ type: 'page', adapter: 'servicenow', facts: { device: 'LT-ABEL-0042', ticketId: 'INC0010023' } }, sender());
    const launch = { type: 'launch', action: 'restart-vpn', deviceId, parameters: { Profile: 'corp' } };
    expect(await handler.handle(launch, sender())).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(client.launch).not.toHaveBeenCalled();

    expect(await handler.handle({ type: 'searchDevices', query: 'LT-ABEL-0042' }, sender())).toMatchObject({ ok: true, data: [{ id: deviceId }] });
    expect(await handler.handle({ ...launch, deviceId: otherDeviceId }, sender())).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // A choice made for the device another ticket showed is not launched against this ticket.
    expect(await handler.handle({ ...launch, pageDevice: 'PC-FIN-0107' }, sender())).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(client.launch).not.toHaveBeenCalled();
    expect(await handler.handle({ ...launch, pageDevice: 'LT-ABEL-0042' }, sender())).toMatchObject({ ok: true, data: { requestId } });
    expect(client.launch).toHaveBeenCalledWith({
      action: 'restart-vpn', devices: [deviceId], parameters: { Profile: 'corp' }, trigger: 'extension',
      triggerInfo: { externalSource: 'servicenow', externalReference: 'INC0010023', externalDeviceName: 'LT-ABEL-0042' },
    });
    expect(recorded).toMatchObject([{ executionId, deviceName: 'LT-ABEL-0042', ticketId: 'INC0010023', status: 'queued' }]);
    // Another tab never looked the device up, and cannot read this tab's execution.
    const other = sender({ tab: { id: 6 } as Browser.tabs.Tab });
    await handler.handle({ type: 'hello' }, other);
    expect(await handler.handle(launch, other)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handler.handle({ type: 'getExecution', id: executionId }, other)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handler.handle({ type: 'getExecution', id: executionId }, sender())).toMatchObject({ ok: true, data: { id: executionId } });
    expect(statuses).toEqual([`${executionId}:succeeded`]);
  });

  it('refuses an adapter that does not belong to the site', async () => {
    const handler = makeHandler();
    await handler.handle({ type: 'hello' }, sender());
    expect(await handler.handle({ type: 'page', adapter: 'jira', facts: {} }, sender())).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('lists the runnable actions for the device platform', async () => {
    const handler = makeHandler();
    await handler.handle({ type: 'hello' }, sender());
    await handler.handle({ type: 'searchDevices', query: 'LT' }, sender());
    const res = await handler.handle({ type: 'listActions', deviceId }, sender());
    expect(res).toMatchObject({ ok: true, data: [{ slug: 'restart-vpn' }] });
  });

  it('remembers the tab across a service worker restart', async () => {
    await makeHandler().handle({ type: 'hello' }, sender());
    await makeHandler().handle({ type: 'searchDevices', query: 'LT' }, sender());
    const restarted = makeHandler();
    expect(await restarted.handle({ type: 'launch', action: 'restart-vpn', deviceId, parameters: {} }, sender())).toMatchObject({ ok: true });
  });

  it('asks to sign in when there is no token, and passes backend errors through', async () => {
    const handler = makeHandler();
    await handler.handle({ type: 'hello' }, sender());
    client.searchDevices.mockRejectedValueOnce(new ApiError(403, 'forbidden', 'You may not see devices'));
    expect(await handler.handle({ type: 'searchDevices', query: 'LT' }, sender())).toEqual({ ok: false, error: { code: 'forbidden', message: 'You may not see devices' } });
    await saveAuth(local(), null);
    expect(await handler.handle({ type: 'hello' }, sender())).toMatchObject({ ok: true, data: { signedIn: false } });
    expect(await handler.handle({ type: 'searchDevices', query: 'LT' }, sender())).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});
