/**
 * @module The launcher panel's backend for the console: the same `LauncherApi` the extension implements over
 * runtime messages, here over HTTP with the session cookie. The extension's rule picks the runnable actions.
 */
import type { Device } from '@fixpoint/protocol';
import { LauncherApiError, selectRunnableActions, type LauncherApi } from '@fixpoint/launcher';
import { ApiError } from './client';
import { openLiveStatus, type EventSourceFactory } from './live';
import { devicesApi, executionsApi } from './operate';
import { actionsApi, type MeT } from './resources';

export interface ConsoleLauncherOptions {
  me: MeT;
  /** The device a device page shows: a search for its exact name answers with it alone, so the panel opens on it. */
  device?: Device;
  /** For tests: replaces the browser's EventSource. */
  eventSource?: EventSourceFactory;
}

/** Runs `call`, turning ApiError into the panel's LauncherApiError (same message, same code). */
async function wrap<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError) throw new LauncherApiError(error.code, error.message);
    throw error;
  }
}

export function createConsoleLauncherApi({ me, device, eventSource }: ConsoleLauncherOptions): LauncherApi {
  return {
    searchDevices: (query) =>
      wrap(async () => {
        if (device && query.trim().toLowerCase() === device.name.toLowerCase()) return [device];
        return (await devicesApi.list({ search: query, limit: 20 })).items;
      }),
    listActions: (target) => wrap(async () => selectRunnableActions((await actionsApi.list({ limit: 500 })).items, me, target.platform)),
    getAction: (slug) => wrap(() => actionsApi.get(slug)),
    launch: (input) =>
      wrap(() => executionsApi.launch({ action: input.action, devices: [input.deviceId], parameters: input.parameters, trigger: 'manual' })),
    getExecution: (id) => wrap(() => executionsApi.get(id)),
    watchExecutions(requestId, handlers) {
      let closed = false;
      const close = openLiveStatus(
        { requestId },
        {
          onEvent: (event) => handlers.onUpdate({ id: event.id, status: event.status }),
          // The panel reads the status itself once live status is gone, which also covers events missed meanwhile.
          onDrop: () => {
            if (closed) return;
            closed = true;
            close();
            handlers.onError?.(new Error('live status was interrupted'));
          },
        },
        eventSource,
      );
      return () => {
        closed = true;
        close();
      };
    },
  };
}
