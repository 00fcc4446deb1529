import type { Device } from '@fixpoint/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LauncherApiError } from '@fixpoint/launcher';
import { fakeEventSource, fakeFetch, uuid } from '../testing/fakes';
import { createConsoleLauncherApi } from './launcher-http';

const device = { id: 'd1', name: 'PC-042', platform: 'windows' } as Device;
const me = { kind: 'user', id: 'u', name: 'Sam', email: null, roles: ['helpdesk'], permissions: ['actions:run', 'devices:read'], runnableActions: ['flush-dns', 'wipe'] } as const;
const action = (slug: string, platforms: string[], archived = false) => ({ slug, name: slug, platforms, archived });

afterEach(() => vi.unstubAllGlobals());

describe('the launcher over HTTP', () => {
  it('answers the page device by name, and searches otherwise', async () => {
    const api = fakeFetch({ 'GET /api/v1/devices': () => ({ items: [{ ...device, id: 'd2' }], total: 1, next: null }) });
    vi.stubGlobal('fetch', api.fetch);
    const launcher = createConsoleLauncherApi({ me: { ...me, runnableActions: [...me.runnableActions], roles: [...me.roles], permissions: [...me.permissions] }, device });
    expect(await launcher.searchDevices('pc-042')).toEqual([device]);
    expect(api.calls).toHaveLength(0);
    expect((await launcher.searchDevices('PC'))[0]!.id).toBe('d2');
    expect(api.calls[0]!.url.searchParams.get('search')).toBe('PC');
  });

  it('lists only the actions the caller may run on the platform, and launches by hand', async () => {
    const api = fakeFetch({
      'GET /api/v1/actions': () => ({ items: [action('wipe', ['linux']), action('flush-dns', ['windows']), action('other', ['windows']), action('flush-dns-old', [], true)], total: 4, next: null }),
      'POST /api/v1/executions': () => ({ requestId: 'r', executions: [{ id: 'e', deviceId: 'd1', status: 'queued' }] }),
    });
    vi.stubGlobal('fetch', api.fetch);
    const launcher = createConsoleLauncherApi({ me: { ...me, runnableActions: [...me.runnableActions], roles: [...me.roles], permissions: [...me.permissions] } });
    expect((await launcher.listActions(device)).map((a) => a.slug)).toEqual(['flush-dns']);
    await launcher.launch({ action: 'flush-dns', deviceId: 'd1', parameters: { x: 1 } });
    expect(api.calls.at(-1)!.body).toEqual({ action: 'flush-dns', devices: ['d1'], parameters: { x: 1 }, trigger: 'manual' });
  });

  it('rejects with the backend message and code', async () => {
    vi.stubGlobal('fetch', fakeFetch({}).fetch);
    const launcher = createConsoleLauncherApi({ me: { ...me, runnableActions: [], roles: [], permissions: [] } });
    const error = await launcher.getExecution('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LauncherApiError);
    expect(error).toMatchObject({ code: 'not_found', message: 'no GET /api/v1/executions/nope' });
  });

  it('follows a launch live and reports a broken stream once, so the panel reads the status instead', () => {
    const live = fakeEventSource();
    const launcher = createConsoleLauncherApi({ me: { ...me, runnableActions: [], roles: [], permissions: [] }, eventSource: live.create });
    const updates: string[] = [];
    const onError = vi.fn();
    const stop = launcher.watchExecutions('r1', { onUpdate: (u) => updates.push(`${u.id}:${u.status}`), onError });
    expect(live.sources[0]!.url).toBe('/api/v1/executions/events?requestId=r1');
    live.emit({ id: uuid(1), status: 'running' });
    live.drop();
    live.drop();
    expect(updates).toEqual([`${uuid(1)}:running`]);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(live.sources[0]!.closed).toBe(true);
    stop();
  });
});
