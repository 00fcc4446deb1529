import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Browser } from 'wxt/browser';
import type { ExecutionEvent } from '@fixpoint/protocol';
import type { ApiClient } from '../api-client';
import { defaultSettings } from '../settings';
import { deviceId, executionId, requestId } from '@fixpoint/launcher/testing/samples';
import { createTabStore, newTabState, rememberLaunch } from './tab-state';
import { serveWatchPort } from './watch-port';

function fakePort(sender: Partial<Browser.runtime.MessageSender>) {
  const messageListeners: ((m: unknown) => void)[] = [];
  const disconnectListeners: (() => void)[] = [];
  const posted: unknown[] = [];
  const port = {
    name: 'fixpoint-watch',
    sender: { id: fakeBrowser.runtime.id, tab: { id: 5 }, frameId: 0, url: 'https://acme.service-now.com/incident.do', ...sender },
    postMessage: (m: unknown) => posted.push(m),
    disconnect: vi.fn(),
    onMessage: { addListener: (l: (m: unknown) => void) => messageListeners.push(l) },
    onDisconnect: { addListener: (l: () => void) => disconnectListeners.push(l) },
  };
  return {
    port: port as unknown as Browser.runtime.Port,
    posted,
    send: (m: unknown) => messageListeners.forEach((l) => l(m)),
    close: () => disconnectListeners.forEach((l) => l()),
  };
}

describe('serveWatchPort', () => {
  const settings = defaultSettings();
  settings.backendUrl = 'https://fp.acme.example';
  settings.sites.builtin.servicenow.enabled = true;
  let stream: ReturnType<typeof vi.fn>;
  let statuses: string[];
  const tabs = createTabStore();

  beforeEach(async () => {
    statuses = [];
    stream = vi.fn(async (_id: string, onUpdate: (u: ExecutionEvent) => void) => {
      const at = '2026-12-01T10:00:00.000Z';
      onUpdate({ type: 'execution', id: executionId, requestId, deviceId, status: 'running', at });
      onUpdate({ type: 'execution', id: executionId, requestId, deviceId, status: 'succeeded', at });
    });
    const state = newTabState('https://acme.service-now.com/incident.do', 'servicenow');
    rememberLaunch(state, requestId, [executionId]);
    await tabs.set(5, state);
  });

  const deps = () => ({
    extensionId: fakeBrowser.runtime.id,
    loadSettings: async () => settings,
    loadAuth: async () => ({ token: 'fp_pat_0123456789', expiresAt: null, name: null, email: null }),
    createClient: () => ({ streamExecutions: stream }) as unknown as ApiClient,
    tabs,
    onStatus: (_id: string, status: string) => void statuses.push(status),
  });

  it('streams the updates of a launch made from the same tab, then ends', async () => {
    const { port, posted, send } = fakePort({});
    serveWatchPort(port, deps());
    send({ type: 'watch', requestId });
    await vi.waitFor(() => expect(posted.at(-1)).toEqual({ type: 'end' }));
    expect(posted).toEqual([
      { type: 'update', id: executionId, status: 'running' },
      { type: 'update', id: executionId, status: 'succeeded' },
      { type: 'end' },
    ]);
    expect(statuses).toEqual(['running', 'succeeded']);
  });

  it('refuses launches of other tabs and malformed requests', async () => {
    const other = fakePort({ tab: { id: 9 } as Browser.tabs.Tab });
    serveWatchPort(other.port, deps());
    other.send({ type: 'watch', requestId });
    await vi.waitFor(() => expect(other.posted).toMatchObject([{ type: 'error', code: 'forbidden' }]));
    const bad = fakePort({});
    serveWatchPort(bad.port, deps());
    bad.send({ type: 'watch', requestId: 'x', more: true });
    await vi.waitFor(() => expect(bad.posted).toMatchObject([{ type: 'error', code: 'bad_request' }]));
    expect(stream).not.toHaveBeenCalled();
  });

  it('aborts the backend stream when the content script disconnects', async () => {
    let signal: AbortSignal | undefined;
    stream.mockImplementationOnce(async (_id: string, _u: unknown, s: AbortSignal) => {
      signal = s;
      await new Promise((resolve) => s.addEventListener('abort', resolve));
    });
    const { port, posted, send, close } = fakePort({});
    serveWatchPort(port, deps());
    send({ type: 'watch', requestId });
    await vi.waitFor(() => expect(signal).toBeDefined());
    close();
    expect(signal!.aborted).toBe(true);
    await Promise.resolve();
    expect(posted).toEqual([]);
  });
});
