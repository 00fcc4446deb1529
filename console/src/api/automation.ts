/** @module Typed calls for schedules and detection rules. */
import type {
  DetectionDryRun,
  DetectionHealth,
  DetectionRule,
  DetectionRuleInput,
  DetectionRuleUpdate,
  Schedule,
  ScheduleInput,
  ScheduleRun,
  ScheduleUpdate,
} from '@fixpoint/protocol';
import type { z } from 'zod';
import { api } from './client';
import type { Page } from './resources';

const enc = encodeURIComponent;
type In<T extends z.ZodType> = z.input<T>;

export type { DetectionDryRun, DetectionHealth, DetectionRule, Schedule, ScheduleRun };

export const schedulesApi = {
  list: () => api.get<Page<Schedule>>('/schedules', { query: { limit: 500 } }),
  get: (id: string) => api.get<Schedule>(`/schedules/${enc(id)}`),
  create: (input: In<typeof ScheduleInput>) => api.post<Schedule>('/schedules', input),
  update: (id: string, changes: In<typeof ScheduleUpdate>) => api.put<Schedule>(`/schedules/${enc(id)}`, changes),
  remove: (id: string) => api.delete(`/schedules/${enc(id)}`),
  setEnabled: (id: string, enabled: boolean) => api.post<Schedule>(`/schedules/${enc(id)}/${enabled ? 'enable' : 'disable'}`),
  runs: (id: string, offset = 0) => api.get<Page<ScheduleRun>>(`/schedules/${enc(id)}/runs`, { query: { limit: 20, offset } }),
};

export const detectionsApi = {
  list: () => api.get<Page<DetectionRule>>('/detections', { query: { limit: 500 } }),
  get: (id: string) => api.get<DetectionRule>(`/detections/${enc(id)}`),
  create: (input: In<typeof DetectionRuleInput>) => api.post<DetectionRule>('/detections', input),
  update: (id: string, changes: In<typeof DetectionRuleUpdate>) => api.put<DetectionRule>(`/detections/${enc(id)}`, changes),
  remove: (id: string) => api.delete(`/detections/${enc(id)}`),
  dryRun: (id: string) => api.post<DetectionDryRun>(`/detections/${enc(id)}/dry-run`),
  health: (id: string) => api.get<DetectionHealth>(`/detections/${enc(id)}/health`),
  resume: (id: string) => api.post<DetectionRule>(`/detections/${enc(id)}/resume`),
};
