/**
 * @module
 * An in-memory LauncherApi for component and store tests: canned answers, recorded launches, and a live-status
 * channel the test drives by hand.
 */
import { vi } from 'vitest';
import type { Device, ExecutionStatus } from '@fixpoint/protocol';
import type { LauncherApi, WatchHandlers } from '../launcher-api';
import { executionId, requestId, sampleAction, sampleActionWithVersion, sampleDevice, sampleExecution } from './samples';

export function createFakeLauncherApi(devices: Device[] = [sampleDevice()]) {
  const watchers: WatchHandlers[] = [];
  let status: ExecutionStatus = 'queued';
  const api = {
    searchDevices: vi.fn(async (query: string) => devices.filter((d) => d.name.toLowerCase().includes(query.toLowerCase()))),
    listActions: vi.fn(async () => [sampleAction(), sampleAction({ slug: 'flush-dns', name: 'Flush DNS', description: 'Clears the DNS cache.' })]),
    getAction: vi.fn(async (slug: string) => (slug === 'restart-vpn' ? sampleActionWithVersion() : { ...sampleActionWithVersion({ parameters: [], slug }), slug, name: 'Flush DNS' })),
    launch: vi.fn(async () => ({ requestId, executions: [{ id: executionId, deviceId: devices[0]!.id, status: 'queued' as const }] })),
    getExecution: vi.fn(async () => sampleExecution({ status, ...(status === 'succeeded' ? {} : { outputs: null, exitCode: null, finishedAt: null }) })),
    watchExecutions: vi.fn((_requestId: string, handlers: WatchHandlers) => {
      watchers.push(handlers);
      return vi.fn();
    }),
  } satisfies LauncherApi;
  return {
    api,
    /** Sends a live update to every watcher, and makes getExecution report it too. */
    push(next: ExecutionStatus) {
      status = next;
      watchers.forEach((w) => w.onUpdate({ id: executionId, status: next }));
    },
    /** Sets what getExecution reports without a live update. */
    setStatus(next: ExecutionStatus) {
      status = next;
    },
    breakStream() {
      watchers.forEach((w) => w.onError?.(new Error('stream closed')));
    },
  };
}
