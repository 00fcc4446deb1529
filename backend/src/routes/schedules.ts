/** @module Schedules (on-demand data): CRUD, enable/disable, and the run history. */
import { z } from 'zod';
import { Id, PageQuery, Schedule, ScheduleInput, ScheduleList, ScheduleRunList, ScheduleUpdate } from '@fixpoint/protocol';
import { route } from '../http/route';
import {
  createSchedule, deleteSchedule, getSchedule, listScheduleRuns, listSchedules, setScheduleEnabled, updateSchedule,
} from '../services/schedules';

const tag = 'Schedules';
const ById = z.object({ id: Id });

const toggle = (enabled: boolean) =>
  route({
    method: 'post',
    path: `/schedules/:id/${enabled ? 'enable' : 'disable'}`,
    summary: enabled ? 'Enable a schedule; its next fire is computed from now' : 'Disable a schedule',
    tag,
    auth: 'actions:edit',
    params: ById,
    response: Schedule,
    handler: ({ ctx, principal, params }) => setScheduleEnabled(ctx, { principal, id: params.id, enabled }),
  });

export const schedulesRoutes = [
  route({
    method: 'get',
    path: '/schedules',
    summary: 'List schedules',
    tag,
    auth: 'devices:read',
    query: PageQuery,
    response: ScheduleList,
    handler: ({ ctx, query }) => listSchedules(ctx, query),
  }),
  route({
    method: 'post',
    path: '/schedules',
    summary: 'Create a schedule: an action run on the devices a query selects, by cron expression (UTC) or interval',
    tag,
    auth: 'actions:edit',
    body: ScheduleInput,
    bodyLimit: 256 * 1024,
    response: Schedule,
    status: 201,
    handler: ({ ctx, principal, body }) => createSchedule(ctx, { principal, schedule: body }),
  }),
  route({
    method: 'get',
    path: '/schedules/:id',
    summary: 'Get a schedule',
    tag,
    auth: 'devices:read',
    params: ById,
    response: Schedule,
    handler: ({ ctx, params }) => getSchedule(ctx, params.id),
  }),
  route({
    method: 'put',
    path: '/schedules/:id',
    summary: 'Change a schedule; giving cron clears intervalSec and the reverse',
    tag,
    auth: 'actions:edit',
    params: ById,
    body: ScheduleUpdate,
    bodyLimit: 256 * 1024,
    response: Schedule,
    handler: ({ ctx, principal, params, body }) => updateSchedule(ctx, { principal, id: params.id, changes: body }),
  }),
  route({
    method: 'delete',
    path: '/schedules/:id',
    summary: 'Delete a schedule and its run history (executions it launched stay)',
    tag,
    auth: 'actions:edit',
    params: ById,
    status: 204,
    handler: async ({ ctx, principal, params }) => {
      await deleteSchedule(ctx, { principal, id: params.id });
      return null;
    },
  }),
  toggle(true),
  toggle(false),
  route({
    method: 'get',
    path: '/schedules/:id/runs',
    summary: 'A schedule’s run history, newest first; counts and requests cover only devices in your scope',
    tag,
    auth: 'devices:read',
    params: ById,
    query: PageQuery,
    response: ScheduleRunList,
    handler: ({ ctx, principal, params, query }) => listScheduleRuns(ctx, { principal, id: params.id, ...query }),
  }),
];
