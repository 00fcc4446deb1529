/** @module Handlers of schedules (on-demand data): CRUD, enable/disable, and the run history. */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import {
  createSchedule, deleteSchedule, getSchedule, listScheduleRuns, listSchedules, setScheduleEnabled, updateSchedule,
} from '../services/schedules';

const { schedules } = api;

export const schedulesRoutes = [
  route(schedules.list, ({ ctx, query }) => listSchedules(ctx, query)),
  route(schedules.create, ({ ctx, principal, body }) => createSchedule(ctx, { principal, schedule: body })),
  route(schedules.get, ({ ctx, params }) => getSchedule(ctx, params.id)),
  route(schedules.update, ({ ctx, principal, params, body }) => updateSchedule(ctx, { principal, id: params.id, changes: body })),
  route(schedules.remove, async ({ ctx, principal, params }) => {
    await deleteSchedule(ctx, { principal, id: params.id });
    return null;
  }),
  route(schedules.enable, ({ ctx, principal, params }) => setScheduleEnabled(ctx, { principal, id: params.id, enabled: true })),
  route(schedules.disable, ({ ctx, principal, params }) => setScheduleEnabled(ctx, { principal, id: params.id, enabled: false })),
  route(schedules.runs, ({ ctx, principal, params, query }) => listScheduleRuns(ctx, { principal, id: params.id, ...query })),
];
