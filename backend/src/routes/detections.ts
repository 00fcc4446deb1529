/** @module Detection rules: CRUD, dry run, health, and resuming a rule its circuit breaker paused. */
import { z } from 'zod';
import {
  DetectionDryRun, DetectionHealth, DetectionRule, DetectionRuleInput, DetectionRuleList, DetectionRuleUpdate, Id, PageQuery,
} from '@fixpoint/protocol';
import { route } from '../http/route';
import {
  createDetectionRule, deleteDetectionRule, dryRunDetectionRule, getDetectionHealth, getDetectionRule, listDetectionRules,
  resumeDetectionRule, updateDetectionRule,
} from '../services/detection';

const tag = 'Detection';
const ById = z.object({ id: Id });

export const detectionsRoutes = [
  route({
    method: 'get',
    path: '/detections',
    summary: 'List detection rules',
    tag,
    auth: 'devices:read',
    query: PageQuery,
    response: DetectionRuleList,
    handler: ({ ctx, query }) => listDetectionRules(ctx, query),
  }),
  route({
    method: 'post',
    path: '/detections',
    summary: 'Create a detection rule; it is evaluated over the fleet at once and fires within its guards',
    tag,
    auth: 'actions:edit',
    body: DetectionRuleInput,
    bodyLimit: 256 * 1024,
    response: DetectionRule,
    status: 201,
    handler: ({ ctx, principal, body }) => createDetectionRule(ctx, { principal, rule: body }),
  }),
  route({
    method: 'get',
    path: '/detections/:id',
    summary: 'Get a detection rule',
    tag,
    auth: 'devices:read',
    params: ById,
    response: DetectionRule,
    handler: ({ ctx, params }) => getDetectionRule(ctx, params.id),
  }),
  route({
    method: 'put',
    path: '/detections/:id',
    summary: 'Change a detection rule; a new condition, action or parameters restarts its match state and rollout',
    tag,
    auth: 'actions:edit',
    params: ById,
    body: DetectionRuleUpdate,
    bodyLimit: 256 * 1024,
    response: DetectionRule,
    handler: ({ ctx, principal, params, body }) => updateDetectionRule(ctx, { principal, id: params.id, changes: body }),
  }),
  route({
    method: 'delete',
    path: '/detections/:id',
    summary: 'Delete a detection rule and its history (executions it launched stay)',
    tag,
    auth: 'actions:edit',
    params: ById,
    status: 204,
    handler: async ({ ctx, principal, params }) => {
      await deleteDetectionRule(ctx, { principal, id: params.id });
      return null;
    },
  }),
  route({
    method: 'post',
    path: '/detections/:id/dry-run',
    summary: 'Which devices in your scope the rule would fire on now, and which guard holds back the others; changes nothing',
    tag,
    auth: 'devices:read',
    params: ById,
    response: DetectionDryRun,
    handler: ({ ctx, principal, params }) => dryRunDetectionRule(ctx, { principal, id: params.id }),
  }),
  route({
    method: 'get',
    path: '/detections/:id/health',
    summary: 'Matches, runs by outcome, breaker and rollout state of a rule, counting only devices in your scope',
    tag,
    auth: 'devices:read',
    params: ById,
    response: DetectionHealth,
    handler: ({ ctx, principal, params }) => getDetectionHealth(ctx, { principal, id: params.id }),
  }),
  route({
    method: 'post',
    path: '/detections/:id/resume',
    summary: 'Resume a paused rule (breaker or owner) as its new owner; the breaker window and the rollout start over',
    tag,
    auth: 'actions:edit',
    params: ById,
    response: DetectionRule,
    handler: ({ ctx, principal, params }) => resumeDetectionRule(ctx, { principal, id: params.id }),
  }),
];
