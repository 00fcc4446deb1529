/** @module Schedules (on-demand data): CRUD, enable/disable, and the run history. */
import { PageQuery, Schedule, ScheduleInput, ScheduleList, ScheduleRunList, ScheduleUpdate } from '../index';
import { endpoint } from './endpoint';
import { ById } from './params';

const tag = 'Schedules';

const toggle = (enabled: boolean) =>
  endpoint({
    method: 'post',
    path: `/schedules/:id/${enabled ? 'enable' : 'disable'}`,
    summary: enabled ? 'Enable a schedule; its next fire is computed from now' : 'Disable a schedule',
    tag,
    auth: 'actions:edit',
    params: ById,
    response: Schedule,
  });

export const schedules = {
  list: endpoint({ method: 'get', path: '/schedules', summary: 'List schedules', tag, auth: 'devices:read', query: PageQuery, response: ScheduleList }),
  create: endpoint({
    method: 'post',
    path: '/schedules',
    summary: 'Create a schedule: an action run on the devices a query selects, by cron expression (UTC or device time) or interval',
    tag,
    auth: 'actions:edit',
    body: ScheduleInput,
    bodyLimit: 256 * 1024,
    response: Schedule,
    status: 201,
  }),
  get: endpoint({ method: 'get', path: '/schedules/:id', summary: 'Get a schedule', tag, auth: 'devices:read', params: ById, response: Schedule }),
  update: endpoint({
    method: 'put',
    path: '/schedules/:id',
    summary: 'Change a schedule; giving cron clears intervalSec and the reverse',
    tag,
    auth: 'actions:edit',
    params: ById,
    body: ScheduleUpdate,
    bodyLimit: 256 * 1024,
    response: Schedule,
  }),
  remove: endpoint({
    method: 'delete',
    path: '/schedules/:id',
    summary: 'Delete a schedule and its run history (executions it launched stay)',
    tag,
    auth: 'actions:edit',
    params: ById,
    status: 204,
  }),
  enable: toggle(true),
  disable: toggle(false),
  runs: endpoint({
    method: 'get',
    path: '/schedules/:id/runs',
    summary: 'A schedule’s run history, newest first; counts and requests cover only devices in your scope',
    tag,
    auth: 'devices:read',
    params: ById,
    query: PageQuery,
    response: ScheduleRunList,
  }),
};
