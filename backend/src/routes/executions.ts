/** @module Launching actions, reading executions and requests, cancelling, and live status over SSE. */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import {
  Execution, ExecutionEvent, ExecutionEventsQuery, ExecutionList, ExecutionListQuery, ExecutionRequestSummary,
  IdempotencyKey, Id, LaunchRequest, LaunchResponse,
} from '@fixpoint/protocol';
import { describeIssues, route, type AppEnv } from '../http/route';
import {
  cancelExecution, getExecution, getExecutionRequest, launchExecutions, listExecutions, openExecutionWatch,
} from '../services/executions';

const IdParams = z.object({ id: Id });

/** Live status stream settings; tests shorten the heartbeat. */
export const liveStatus = {
  heartbeatMs: 15_000,
  /** Events waiting for a slow client before the stream is dropped (the client reconnects and re-reads). */
  maxBacklog: 20_000,
};

export const executionsRoutes = [
  route({
    method: 'post',
    path: '/executions',
    summary: 'Launch an action on devices',
    tag: 'Executions',
    auth: 'actions:run',
    body: LaunchRequest,
    bodyLimit: 4 * 1024 * 1024,
    headers: {
      'Idempotency-Key':
        'Optional. A retry with the same key returns the first response (with `Idempotent-Replayed: true`) and launches nothing; the same key with a different body is a 409.',
    },
    response: LaunchResponse,
    status: 202,
    handler: async ({ ctx, principal, body, c }) => {
      const header = c.req.header('idempotency-key');
      let idempotencyKey: string | undefined;
      if (header !== undefined) {
        const parsed = IdempotencyKey.safeParse(header);
        if (!parsed.success) throw describeIssues(parsed.error, 'Idempotency-Key header');
        idempotencyKey = parsed.data;
      }
      const result = await launchExecutions(ctx, { principal, request: body, idempotencyKey });
      if (result.replayed) c.header('Idempotent-Replayed', 'true');
      return result.response;
    },
  }),
  route({
    method: 'get',
    path: '/executions',
    summary: 'List executions on devices in your scope, newest first',
    tag: 'Executions',
    auth: 'devices:read',
    query: ExecutionListQuery,
    response: ExecutionList,
    handler: ({ ctx, principal, query }) => listExecutions(ctx, { principal, query }),
  }),
  // Declared before /executions/:id so the static path wins.
  route({
    method: 'get',
    path: '/executions/events',
    summary: 'Live execution status (Server-Sent Events), for a request or a device',
    tag: 'Executions',
    auth: 'devices:read',
    query: ExecutionEventsQuery,
    response: ExecutionEvent,
    produces: 'text/event-stream',
    handler: async ({ ctx, principal, query, c }) => {
      const subscribe = await openExecutionWatch(ctx, { principal, ...query });
      return streamEvents(c, subscribe);
    },
  }),
  route({
    method: 'get',
    path: '/executions/:id',
    summary: 'Get an execution',
    tag: 'Executions',
    auth: 'devices:read',
    params: IdParams,
    response: Execution,
    handler: ({ ctx, principal, params }) => getExecution(ctx, { principal, id: params.id }),
  }),
  route({
    method: 'post',
    path: '/executions/:id/cancel',
    summary: 'Cancel a queued, delivered or running execution',
    tag: 'Executions',
    auth: 'actions:run',
    params: IdParams,
    response: Execution,
    handler: ({ ctx, principal, params }) => cancelExecution(ctx, { principal, id: params.id }),
  }),
  route({
    method: 'get',
    path: '/requests/:id',
    summary: 'Get a launch request with its executions counted by status',
    tag: 'Executions',
    auth: 'devices:read',
    params: IdParams,
    response: ExecutionRequestSummary,
    handler: ({ ctx, principal, params }) => getExecutionRequest(ctx, { principal, id: params.id }),
  }),
];

function streamEvents(c: Context<AppEnv>, subscribe: (deliver: (event: ExecutionEvent) => void) => () => void): Response {
  return streamSSE(c, async (stream) => {
    let chain: Promise<unknown> = stream.write(': connected\n\n');
    let backlog = 0;
    const unsubscribe = subscribe((event) => {
      // Writes wait for the client to read; a client that stops reading is dropped instead of buffering forever.
      if (++backlog > liveStatus.maxBacklog) return stream.abort();
      chain = chain.then(() => stream.writeSSE({ event: 'execution', data: JSON.stringify(event) })).finally(() => backlog--);
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
