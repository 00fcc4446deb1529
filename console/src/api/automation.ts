/** @module Calls for schedules and detection rules, through the typed client. */
import type { DetectionDryRun, DetectionEvent, DetectionRule, Schedule } from '@fixpoint/protocol';
import { api, type CallBody } from '@fixpoint/protocol/api';
import { client } from './client';

export type { DetectionDryRun, DetectionEvent, DetectionRule, Schedule };
type Body<E> = CallBody<E>;

const { call } = client;
const { schedules, detections } = api;

export const schedulesApi = {
  list: () => call(schedules.list, { query: { limit: 500 } }),
  get: (id: string) => call(schedules.get, { params: { id } }),
  create: (input: Body<typeof schedules.create>) => call(schedules.create, { body: input }),
  update: (id: string, changes: Body<typeof schedules.update>) => call(schedules.update, { params: { id }, body: changes }),
  remove: (id: string) => call(schedules.remove, { params: { id } }),
  setEnabled: (id: string, enabled: boolean) => call(enabled ? schedules.enable : schedules.disable, { params: { id } }),
  runs: (id: string, offset = 0) => call(schedules.runs, { params: { id }, query: { limit: 20, offset } }),
};

export const detectionsApi = {
  list: () => call(detections.list, { query: { limit: 500 } }),
  get: (id: string) => call(detections.get, { params: { id } }),
  create: (input: Body<typeof detections.create>) => call(detections.create, { body: input }),
  update: (id: string, changes: Body<typeof detections.update>) => call(detections.update, { params: { id }, body: changes }),
  remove: (id: string) => call(detections.remove, { params: { id } }),
  dryRun: (id: string) => call(detections.dryRun, { params: { id } }),
  health: (id: string) => call(detections.health, { params: { id } }),
  events: (id: string) => call(detections.events, { params: { id }, query: { limit: 50 } }),
  resume: (id: string) => call(detections.resume, { params: { id } }),
};
