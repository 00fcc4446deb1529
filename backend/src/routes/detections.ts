/** @module Handlers of detection rules: CRUD, dry run, health, run history, and resuming a rule its circuit breaker paused. */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import {
  createDetectionRule, deleteDetectionRule, dryRunDetectionRule, getDetectionHealth, getDetectionRule, listDetectionEvents, listDetectionRules,
  resumeDetectionRule, updateDetectionRule,
} from '../services/detection';

const { detections } = api;

export const detectionsRoutes = [
  route(detections.list, ({ ctx, query }) => listDetectionRules(ctx, query)),
  route(detections.create, ({ ctx, principal, body }) => createDetectionRule(ctx, { principal, rule: body })),
  route(detections.get, ({ ctx, params }) => getDetectionRule(ctx, params.id)),
  route(detections.update, ({ ctx, principal, params, body }) => updateDetectionRule(ctx, { principal, id: params.id, changes: body })),
  route(detections.remove, async ({ ctx, principal, params }) => {
    await deleteDetectionRule(ctx, { principal, id: params.id });
    return null;
  }),
  route(detections.dryRun, ({ ctx, principal, params }) => dryRunDetectionRule(ctx, { principal, id: params.id })),
  route(detections.health, ({ ctx, principal, params }) => getDetectionHealth(ctx, { principal, id: params.id })),
  route(detections.events, ({ ctx, principal, params, query }) => listDetectionEvents(ctx, { principal, id: params.id, ...query })),
  route(detections.resume, ({ ctx, principal, params }) => resumeDetectionRule(ctx, { principal, id: params.id })),
];
