/**
 * @module
 * Live status for a content script: it opens a port, asks once to watch one of its own launches, and receives the
 * backend's SSE updates until either side goes away. Closing the port aborts the backend stream.
 */
import type { Browser } from 'wxt/browser';
import type { ApiClient } from '../api-client';
import { ApiError } from '../api-client';
import { WatchRequest, type WatchMessage } from '../messages';
import type { Auth, Settings } from '../settings';
import { checkSender, Refusal } from './content-handler';
import type { TabStore } from './tab-state';

export interface WatchPortDeps {
  extensionId: string;
  loadSettings(): Promise<Settings>;
  loadAuth(): Promise<Auth | null>;
  createClient(baseUrl: string, token: string): ApiClient;
  tabs: TabStore;
  /** Called with every status the stream reports (to keep the recent-launch list current). */
  onStatus(executionId: string, status: string): void;
}

/** Serves one watch port. */
export function serveWatchPort(port: Browser.runtime.Port, deps: WatchPortDeps): void {
  const abort = new AbortController();
  let started = false;
  const post = (message: WatchMessage) => {
    try {
      port.postMessage(message);
    } catch {
      abort.abort(); // The content script went away between two updates.
    }
  };
  const fail = (err: unknown) => {
    const code = err instanceof Refusal || err instanceof ApiError ? err.code : 'internal';
    const message = err instanceof Refusal || err instanceof ApiError ? err.message : 'The live status stream failed';
    post({ type: 'error', code, message });
    port.disconnect();
  };
  port.onDisconnect.addListener(() => abort.abort());
  port.onMessage.addListener(async (message: unknown) => {
    if (started) return; // One watch per port; anything after the first message is ignored.
    started = true;
    try {
      const settings = await deps.loadSettings();
      const { tabId } = checkSender(port.sender ?? {}, deps.extensionId, settings);
      const request = WatchRequest.safeParse(message);
      if (!request.success) throw new Refusal('bad_request', 'Malformed message');
      const state = await deps.tabs.get(tabId);
      if (!state?.requests.includes(request.data.requestId)) throw new Refusal('forbidden', 'Only launches made from this page can be followed here');
      const auth = await deps.loadAuth();
      if (!settings.backendUrl || !auth) throw new Refusal('unauthenticated', 'Sign in to Fixpoint from the extension options');
      const client = deps.createClient(settings.backendUrl, auth.token);
      await client.streamExecutions(
        request.data.requestId,
        (update) => {
          deps.onStatus(update.id, update.status);
          post({ type: 'update', id: update.id, status: update.status });
        },
        abort.signal,
      );
      if (!abort.signal.aborted) {
        post({ type: 'end' });
        port.disconnect();
      }
    } catch (err) {
      if (!abort.signal.aborted) fail(err);
    }
  });
}
