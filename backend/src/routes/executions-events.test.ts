import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../events';
import { liveStatus } from './executions';
import { sampleAction, seedAction, seedDevices, seedRole } from '../testing/fleet';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { transitionExecution } from '../services/executions/transition';

/** Reads an SSE body until `done(text)` holds, or fails after `ms`. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, state: { text: string }, done: (text: string) => boolean, ms = 5000) {
  const decoder = new TextDecoder();
  const deadline = Date.now() + ms;
  while (!done(state.text)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out; got:\n${state.text}`);
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
    if (!chunk) continue;
    if (chunk.done) throw new Error(`stream ended; got:\n${state.text}`);
    state.text += decoder.decode(chunk.value, { stream: true });
  }
}

const eventsIn = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => block.startsWith('event: execution'))
    .map((block) => JSON.parse(block.split('\n').find((l) => l.startsWith('data: '))!.slice(6)));

describe('live execution status over SSE', () => {
  let t: TestBackend;
  let paris: string[];
  let lyon: string[];
  let admin: Record<string, string>;
  let subscribers = 0;

  beforeAll(async () => {
    t = await createTestBackend();
    const bus = t.ctx.events;
    t.ctx.events = {
      publish: bus.publish,
      publishRollout: bus.publishRollout,
      subscribeRollout: bus.subscribeRollout,
      deliverRemote: bus.deliverRemote,
      subscribe(listener, options) {
        subscribers++;
        const off = bus.subscribe(listener, options);
        return () => {
          subscribers--;
          off();
        };
      },
    } satisfies EventBus;
    admin = await t.as('admin');
    await seedAction(t.ctx, sampleAction());
    paris = await seedDevices(t.ctx, 2, { tags: ['site:paris'] });
    lyon = await seedDevices(t.ctx, 1, { tags: ['site:lyon'] });
    await seedRole(t.ctx, 'paris-viewer', { permissions: ['devices:read'], deviceScope: { tags: ['site:paris'] } });
  });
  afterAll(() => t.close());

  const launch = async (devices: string[]) => {
    const res = await t.call('POST', '/api/v1/executions', { headers: admin, body: { action: 'restart-spooler', devices, parameters: { Reason: 'r' } } });
    expect(res.status).toBe(202);
    return res.body as { requestId: string; executions: { id: string; deviceId: string }[] };
  };
  const open = async (query: string, headers = admin) => {
    const res = await t.app.request(`/api/v1/executions/events${query}`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const state = { text: '' };
    await readUntil(reader, state, (s) => s.includes(': connected'));
    return { reader, state };
  };

  it('streams a request: launch, then transitions arrive in order', async () => {
    const launched = await launch(paris);
    const { reader, state } = await open(`?requestId=${launched.requestId}`);
    const [first, second] = launched.executions;
    await transitionExecution(t.ctx, { executionId: first!.id, deviceId: first!.deviceId, to: 'running' });
    await transitionExecution(t.ctx, { executionId: second!.id, deviceId: second!.deviceId, to: 'delivered' });
    await transitionExecution(t.ctx, { executionId: first!.id, deviceId: first!.deviceId, to: 'succeeded' });
    await readUntil(reader, state, (s) => eventsIn(s).length >= 3);
    expect(eventsIn(state.text).map((e) => [e.id, e.status])).toEqual([
      [first!.id, 'running'], [second!.id, 'delivered'], [first!.id, 'succeeded'],
    ]);
    expect(eventsIn(state.text)[0]).toMatchObject({ type: 'execution', requestId: launched.requestId, deviceId: first!.deviceId });
    await reader.cancel();
  });

  it('streams a device from before the launch, and ignores other requests and devices', async () => {
    const { reader, state } = await open(`?deviceId=${paris[0]}`);
    const launched = await launch([paris[0]!, paris[1]!]);
    const mine = launched.executions.find((e) => e.deviceId === paris[0])!;
    await transitionExecution(t.ctx, { executionId: mine.id, deviceId: paris[0]!, to: 'running' });
    await readUntil(reader, state, (s) => eventsIn(s).some((e) => e.status === 'running'));
    expect(eventsIn(state.text).map((e) => [e.id, e.status])).toEqual([[mine.id, 'queued'], [mine.id, 'running']]);
    await reader.cancel();
  });

  it('filters by device scope', async () => {
    const { reader, state } = await open('', await t.as('paris-viewer'));
    const launched = await launch([lyon[0]!, paris[1]!]);
    const visible = launched.executions.find((e) => e.deviceId === paris[1])!;
    await transitionExecution(t.ctx, { executionId: visible.id, deviceId: paris[1]!, to: 'running' });
    await readUntil(reader, state, (s) => eventsIn(s).some((e) => e.status === 'running'));
    expect(eventsIn(state.text).every((e) => e.deviceId === paris[1])).toBe(true);
    expect(eventsIn(state.text).map((e) => e.status)).toEqual(['queued', 'running']);
    await reader.cancel();
    const hidden = await t.app.request(`/api/v1/executions/events?deviceId=${lyon[0]}`, { headers: await t.as('paris-viewer') });
    expect(hidden.status).toBe(404);
  });

  it('sends heartbeats and unsubscribes when the client goes away', async () => {
    const before = subscribers;
    const saved = liveStatus.heartbeatMs;
    liveStatus.heartbeatMs = 30;
    try {
      const { reader, state } = await open('');
      expect(subscribers).toBe(before + 1);
      await readUntil(reader, state, (s) => s.includes(': heartbeat'));
      await reader.cancel();
      await new Promise((r) => setTimeout(r, 20));
      expect(subscribers).toBe(before);
    } finally {
      liveStatus.heartbeatMs = saved;
    }
  });

  it('is documented as an event stream, and the launch with its Idempotency-Key header', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body;
    const events = doc.paths['/api/v1/executions/events'].get;
    expect(Object.keys(events.responses['200'].content)).toEqual(['text/event-stream']);
    const launch = doc.paths['/api/v1/executions'].post;
    expect(launch.responses['202']).toBeTruthy();
    expect(launch.parameters.find((p: any) => p.name === 'Idempotency-Key')).toMatchObject({ in: 'header' });
  });

  it('checks auth and query', async () => {
    expect((await t.app.request('/api/v1/executions/events')).status).toBe(401);
    expect((await t.call('GET', '/api/v1/executions/events?requestId=nope', { headers: admin })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/executions/events?requestId=00000000-0000-4000-8000-000000000000', { headers: admin })).status).toBe(404);
  });
});
