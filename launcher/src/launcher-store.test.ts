import { describe, expect, it, vi } from 'vitest';
import { createFakeLauncherApi } from './testing/fake-launcher-api';
import { deviceId, executionId, otherDeviceId, requestId, sampleActionWithVersion, sampleDevice } from './testing/samples';
import { LauncherApiError } from './launcher-api';
import { createLauncherStore } from './launcher-store';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('launcher store', () => {
  it('finds the ticket device, lists its actions and launches with typed parameters', async () => {
    const fake = createFakeLauncherApi();
    const store = createLauncherStore(fake.api, { trigger: 'extension' });
    await store.search('LT-ABEL-0042');
    expect(store.device.value?.id).toBe(deviceId);
    expect(store.actions.value?.map((a) => a.slug)).toEqual(['restart-vpn', 'flush-dns']);
    await store.selectAction('restart-vpn');
    store.setValue('WaitSeconds', '30');
    store.setValue('AdminPassword', 'hunter2');
    expect(await store.launch()).toBe(true);
    expect(fake.api.launch).toHaveBeenCalledWith({
      action: 'restart-vpn', deviceId, parameters: { Profile: 'corp', WaitSeconds: 30, Force: false, AdminPassword: 'hunter2' },
    });
    expect(store.values.value.AdminPassword).toBe('');
    expect(store.run.value).toMatchObject({ phase: 'following', requestId, executionId, status: 'queued' });
    fake.push('running');
    expect(store.run.value?.status).toBe('running');
    fake.push('succeeded');
    await flush();
    expect(store.run.value).toMatchObject({ phase: 'done', status: 'succeeded', execution: { outputs: { connected: true } } });
  });

  it('keeps the choice open when several devices match, and shows field errors instead of launching', async () => {
    const fake = createFakeLauncherApi([sampleDevice({ name: 'LT-ABEL-0042' }), sampleDevice({ id: otherDeviceId, name: 'LT-ABEL-0043' })]);
    const store = createLauncherStore(fake.api, { trigger: 'extension' });
    await store.search('LT-ABEL');
    expect(store.matches.value).toHaveLength(2);
    expect(store.device.value).toBeNull();
    await store.selectDevice(store.matches.value![1]!);
    await store.selectAction('restart-vpn');
    store.setValue('WaitSeconds', 'soon');
    expect(await store.launch()).toBe(false);
    expect(store.errors.value).toEqual({ WaitSeconds: 'WaitSeconds must be an integer' });
    expect(fake.api.launch).not.toHaveBeenCalled();
    store.setValue('WaitSeconds', '5');
    expect(store.errors.value).toEqual({});
  });

  it('refuses actions whose version does not allow this trigger', async () => {
    const fake = createFakeLauncherApi();
    const store = createLauncherStore(fake.api, { trigger: 'extension' });
    await store.search('LT-ABEL-0042');
    fake.api.getAction.mockResolvedValueOnce(sampleActionWithVersion({ triggers: ['manual'] }));
    await store.selectAction('restart-vpn');
    expect(await store.launch()).toBe(false);
    expect(store.error.value).toMatch(/cannot be started from here/);
  });

  it('shows why a launch was refused while the server is overloaded, and can launch again', async () => {
    const fake = createFakeLauncherApi();
    const store = createLauncherStore(fake.api, { trigger: 'extension' });
    await store.search('LT-ABEL-0042');
    await store.selectAction('flush-dns');
    const busy = 'the server is busy storing earlier launches (20000 executions waiting); try again in 5 s';
    fake.api.launch.mockRejectedValueOnce(new LauncherApiError('overloaded', busy));
    expect(await store.launch()).toBe(false);
    expect(store.run.value).toEqual({ phase: 'failed', error: busy });
    expect(await store.launch()).toBe(true);
    expect(store.run.value).toMatchObject({ phase: 'following', status: 'queued' });
  });

  it('falls back to reading the status when live status breaks', async () => {
    vi.useFakeTimers();
    try {
      const fake = createFakeLauncherApi();
      const store = createLauncherStore(fake.api, { trigger: 'extension', pollDelays: [1000] });
      await store.search('LT-ABEL-0042');
      await store.selectAction('flush-dns');
      await store.launch();
      fake.setStatus('running');
      fake.breakStream();
      await vi.advanceTimersByTimeAsync(0);
      expect(store.run.value?.status).toBe('running');
      fake.setStatus('succeeded');
      await vi.advanceTimersByTimeAsync(1000);
      expect(store.run.value).toMatchObject({ phase: 'done', status: 'succeeded' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows API errors and drops answers for a ticket that is no longer open', async () => {
    const fake = createFakeLauncherApi();
    const store = createLauncherStore(fake.api, { trigger: 'extension' });
    fake.api.searchDevices.mockRejectedValueOnce(new Error('Sign in to Fixpoint from the extension options'));
    await store.search('LT-ABEL-0042');
    expect(store.error.value).toBe('Sign in to Fixpoint from the extension options');
    let release!: () => void;
    fake.api.searchDevices.mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve([sampleDevice()]))));
    const pending = store.search('LT-ABEL-0042');
    store.reset();
    release();
    await pending;
    expect(store.device.value).toBeNull();
    expect(store.matches.value).toBeNull();
  });
});
