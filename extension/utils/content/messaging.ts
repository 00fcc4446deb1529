/**
 * @module
 * The launcher API as a content script provides it: every call is a runtime message to the background, which holds
 * the token and talks to the backend. Live status comes over a port.
 */
import type { Action, ActionWithVersion, Device, Execution, LaunchResponse } from '@fixpoint/protocol';
import type { Browser } from 'wxt/browser';
import { LauncherApiError, type LauncherApi, type WatchHandlers } from '@fixpoint/launcher';
import type { ContentRequest, ContentResponse, WatchMessage } from '../messages';
import { watchPortName } from '../watch-port-name';

export type RuntimeApi = Pick<typeof Browser.runtime, 'sendMessage' | 'connect'>;

/** Sends one request to the background; rejects with a LauncherApiError when it refuses or fails. */
export async function sendRequest<T>(runtime: RuntimeApi, request: ContentRequest): Promise<T> {
  let response: ContentResponse<T> | undefined;
  try {
    response = (await runtime.sendMessage(request)) as ContentResponse<T> | undefined;
  } catch {
    // The extension was reloaded or updated under this page: its old content script can no longer talk to it.
    throw new LauncherApiError('disconnected', 'The Fixpoint extension was updated; reload the page');
  }
  if (!response || typeof response !== 'object') throw new LauncherApiError('disconnected', 'The Fixpoint extension did not answer');
  if (!response.ok) throw new LauncherApiError(response.error.code, response.error.message);
  return response.data;
}

/** A LauncherApi backed by the background service worker. */
export function createMessageLauncherApi(runtime: RuntimeApi): LauncherApi {
  return {
    searchDevices: (query) => sendRequest<Device[]>(runtime, { type: 'searchDevices', query: query.slice(0, 200) }),
    listActions: (device) => sendRequest<Action[]>(runtime, { type: 'listActions', deviceId: device.id }),
    getAction: (slug) => sendRequest<ActionWithVersion>(runtime, { type: 'getAction', slug }),
    launch: (input) => sendRequest<LaunchResponse>(runtime, { type: 'launch', ...input }),
    getExecution: (id) => sendRequest<Execution>(runtime, { type: 'getExecution', id }),
    watchExecutions(requestId: string, handlers: WatchHandlers) {
      let closed = false;
      let port: Browser.runtime.Port;
      try {
        port = runtime.connect({ name: watchPortName });
      } catch (err) {
        queueMicrotask(() => handlers.onError?.(err as Error));
        return () => undefined;
      }
      port.onMessage.addListener((message: WatchMessage) => {
        if (message.type === 'update') handlers.onUpdate({ id: message.id, status: message.status as never });
        else if (message.type === 'end') {
          closed = true;
          handlers.onEnd?.();
        } else if (message.type === 'error') {
          closed = true;
          handlers.onError?.(new LauncherApiError(message.code, message.message));
        }
      });
      port.onDisconnect.addListener(() => {
        // A disconnect without "end" means the background went away (service worker stopped): let the panel poll.
        if (!closed) handlers.onError?.(new LauncherApiError('disconnected', 'Live status was interrupted'));
        closed = true;
      });
      port.postMessage({ type: 'watch', requestId });
      return () => {
        closed = true;
        port.disconnect();
      };
    },
  };
}
