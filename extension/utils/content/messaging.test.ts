import { describe, expect, it, vi } from 'vitest';
import { executionId, requestId } from '@fixpoint/launcher/testing/samples';
import { createMessageLauncherApi, type RuntimeApi } from './messaging';

function fakePort() {
  const onMessage: ((m: unknown) => void)[] = [];
  const onDisconnect: (() => void)[] = [];
  return {
    port: {
      postMessage: vi.fn(),
      disconnect: vi.fn(),
      onMessage: { addListener: (l: (m: unknown) => void) => onMessage.push(l) },
      onDisconnect: { addListener: (l: () => void) => onDisconnect.push(l) },
    },
    emit: (m: unknown) => onMessage.forEach((l) => l(m)),
    drop: () => onDisconnect.forEach((l) => l()),
  };
}

describe('message launcher API', () => {
  it('turns refusals into errors with the background message', async () => {
    const runtime = { sendMessage: vi.fn(async () => ({ ok: false, error: { code: 'forbidden', message: 'Launches are limited to devices looked up on this page' } })), connect: vi.fn() };
    const api = createMessageLauncherApi(runtime as unknown as RuntimeApi);
    await expect(api.getExecution(executionId)).rejects.toMatchObject({ code: 'forbidden', message: 'Launches are limited to devices looked up on this page' });
    expect(runtime.sendMessage).toHaveBeenCalledWith({ type: 'getExecution', id: executionId });
  });

  it('follows live status over a port and reports an interrupted stream', () => {
    const p = fakePort();
    const runtime = { sendMessage: vi.fn(), connect: vi.fn(() => p.port) };
    const api = createMessageLauncherApi(runtime as unknown as RuntimeApi);
    const onUpdate = vi.fn();
    const onError = vi.fn();
    api.watchExecutions(requestId, { onUpdate, onError });
    expect(runtime.connect).toHaveBeenCalledWith({ name: 'fixpoint-watch' });
    expect(p.port.postMessage).toHaveBeenCalledWith({ type: 'watch', requestId });
    p.emit({ type: 'update', id: executionId, status: 'running' });
    expect(onUpdate).toHaveBeenCalledWith({ id: executionId, status: 'running' });
    p.drop();
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('ends quietly after the background says the stream is over', () => {
    const p = fakePort();
    const api = createMessageLauncherApi({ sendMessage: vi.fn(), connect: vi.fn(() => p.port) } as unknown as RuntimeApi);
    const onEnd = vi.fn();
    const onError = vi.fn();
    const stop = api.watchExecutions(requestId, { onUpdate: vi.fn(), onEnd, onError });
    p.emit({ type: 'end' });
    p.drop();
    stop();
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(onError).not.toHaveBeenCalled();
  });
});
