/** @module Launching actions, reading executions and requests, cancelling, and live status over SSE. */
import {
  Execution, ExecutionEventsQuery, LiveEvent, ExecutionList, ExecutionListQuery, ExecutionRequestSummary, LaunchQuery, LaunchRequest, LaunchResponse,
} from '../index';
import { endpoint } from './endpoint';
import { ById } from './params';

const tag = 'Executions';

export const executions = {
  launch: endpoint({
    method: 'post',
    path: '/executions',
    summary:
      'Launch an action on devices. With `?wait=N` (1–60 s), a launch on one device that ends within N seconds answers 200 with the execution and its outputs in `execution`; otherwise 202 as without it',
    tag,
    auth: 'actions:run',
    query: LaunchQuery,
    body: LaunchRequest,
    bodyLimit: 4 * 1024 * 1024,
    headers: {
      'Idempotency-Key':
        'Optional. A retry with the same key returns the first response (with `Idempotent-Replayed: true`) and launches nothing; the same key with a different body is a 409.',
    },
    response: LaunchResponse,
    status: 202,
    errors: {
      503: '`overloaded`: the server is behind (launches waiting to be stored, or results from devices, past FIXPOINT_LAUNCH_QUEUE_LIMIT or FIXPOINT_INGEST_BACKLOG_LIMIT); nothing was launched: retry after Retry-After seconds',
    },
  }),
  list: endpoint({
    method: 'get',
    path: '/executions',
    summary: 'List executions on devices in your scope, newest first; filter by status, or by outcome (a status or a neutral self-help outcome)',
    tag,
    auth: 'devices:read',
    query: ExecutionListQuery,
    response: ExecutionList,
  }),
  // Declared before /executions/:id so the static path wins.
  /** A stream of `execution` events (data: an ExecutionEvent) and `request.rollout` events (data: a RolloutEvent). */
  events: endpoint({
    method: 'get',
    path: '/executions/events',
    summary: 'Live execution status (Server-Sent Events), for a request or a device',
    tag,
    auth: 'devices:read',
    query: ExecutionEventsQuery,
    response: LiveEvent,
    produces: 'text/event-stream',
  }),
  get: endpoint({
    method: 'get',
    path: '/executions/:id',
    summary: 'Get an execution',
    tag,
    auth: 'devices:read',
    params: ById,
    response: Execution,
  }),
  cancel: endpoint({
    method: 'post',
    path: '/executions/:id/cancel',
    summary: 'Cancel a queued, delivered or running execution',
    tag,
    auth: 'actions:run',
    params: ById,
    response: Execution,
  }),
  request: endpoint({
    method: 'get',
    path: '/requests/:id',
    summary: 'Get a launch request with its executions counted by status',
    tag,
    auth: 'devices:read',
    params: ById,
    response: ExecutionRequestSummary,
  }),
  pauseRequest: endpoint({
    method: 'post',
    path: '/requests/:id/pause',
    summary: 'Pause a running staged rollout: no further wave is released until it is resumed',
    tag,
    auth: 'actions:run',
    params: ById,
    response: ExecutionRequestSummary,
  }),
  resumeRequest: endpoint({
    method: 'post',
    path: '/requests/:id/resume',
    summary: 'Resume a paused staged rollout: the next wave is released (or the current one continues)',
    tag,
    auth: 'actions:run',
    params: ById,
    response: ExecutionRequestSummary,
  }),
  cancelRequest: endpoint({
    method: 'post',
    path: '/requests/:id/cancel',
    summary: "Cancel a launch's queued and held executions; a staged rollout releases no more waves",
    tag,
    auth: 'actions:run',
    params: ById,
    response: ExecutionRequestSummary,
  }),
};
