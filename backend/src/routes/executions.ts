/** @module Handlers for launching actions, reading executions and requests, cancelling, and live status (executions and rollouts) over SSE. */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { IdempotencyKey, type LiveEvent } from '@fixpoint/protocol';
import { api } from '@fixpoint/protocol/api';
import { describeIssues, route, type AppEnv } from '../http/route';
import {
  cancelExecution, getExecution, getExecutionRequest, launchExecutions, listExecutions, openExecutionWatch, waitForExecution,
} from '../services/executions';
import { cancelRequest, pauseRollout, resumeRollout } from '../services/rollouts';

/** Live status stream settings; tests shorten the heartbeat. */
export const liveStatus = {
  heartbeatMs: 15_000,
  /** Events waiting for a slow client before the stream is dropped (the client reconnects and re-reads). */
  maxBacklog: 20_000,
};

const { executions } = api;

export const executionsRoutes = [
  route(executions.launch, async ({ ctx, principal, body, query, c }) => {
    const header = c.req.header('idempotency-key');
    let idempotencyKey: string | undefined;
    if (header !== undefined) {
      const parsed = IdempotencyKey.safeParse(header);
      if (!parsed.success) throw describeIssues(parsed.error, 'Idempotency-Key header');
      idempotencyKey = parsed.data;
    }
    const result = await launchExecutions(ctx, { principal, request: body, idempotencyKey, shed: true });
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    const [only, ...more] = result.response.executions;
    if (!query.wait || !only || more.length) return result.response;
    const execution = await waitForExecution(ctx, { principal, id: only.id, timeoutMs: query.wait * 1000 });
    return execution ? c.json({ ...result.response, executions: [{ id: execution.id, deviceId: execution.deviceId, status: execution.status }], execution }, 200) : result.response;
  }),
  route(executions.list, ({ ctx, principal, query }) => listExecutions(ctx, { principal, query })),
  route(executions.events, async ({ ctx, principal, query, c }) => {
    const subscribe = await openExecutionWatch(ctx, { principal, ...query });
    return streamEvents(c, subscribe);
  }),
  route(executions.get, ({ ctx, principal, params }) => getExecution(ctx, { principal, id: params.id })),
  route(executions.cancel, ({ ctx, principal, params }) => cancelExecution(ctx, { principal, id: params.id })),
  route(executions.request, ({ ctx, principal, params }) => getExecutionRequest(ctx, { principal, id: params.id })),
  route(executions.pauseRequest, ({ ctx, principal, params }) => pauseRollout(ctx, { principal, id: params.id })),
  route(executions.resumeRequest, ({ ctx, principal, params }) => resumeRollout(ctx, { principal, id: params.id })),
  route(executions.cancelRequest, ({ ctx, principal, params }) => cancelRequest(ctx, { principal, id: params.id })),
];

function streamEvents(c: Context<AppEnv>, subscribe: (deliver: (event: LiveEvent) => void) => () => void): Response {
  return streamSSE(c, async (stream) => {
    let chain: Promise<unknown> = stream.write(': connected\n\n');
    let backlog = 0;
    const unsubscribe = subscribe((event) => {
      // Writes wait for the client to read; a client that stops reading is dropped instead of buffering forever.
      if (++backlog > liveStatus.maxBacklog) return stream.abort();
      // The SSE event name is the event's type: `execution` or `request.rollout`.
      chain = chain.then(() => stream.writeSSE({ event: event.type, data: JSON.stringify(event) })).finally(() => backlog--);
    });
    const heartbeat = setInterval(() => {
      chain = chain.then(() => stream.write(': heartbeat\n\n'));
    }, liveStatus.heartbeatMs);
    heartbeat.unref();
    await new Promise<void>((resolve) => {
      stream.onAbort(() => {
        clearInterval(heartbeat);
        unsubscribe();
        resolve();
      });
    });
  });
}
