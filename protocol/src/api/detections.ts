/** @module Detection rules: CRUD, dry run, health, and resuming a rule its circuit breaker paused. */
import {
  DetectionDryRun, DetectionEventList, DetectionHealth, DetectionRule, DetectionRuleInput, DetectionRuleList, DetectionRuleUpdate, PageQuery,
} from '../index';
import { endpoint } from './endpoint';
import { ById } from './params';

const tag = 'Detection';

export const detections = {
  list: endpoint({
    method: 'get',
    path: '/detections',
    summary: 'List detection rules',
    tag,
    auth: 'devices:read',
    query: PageQuery,
    response: DetectionRuleList,
  }),
  create: endpoint({
    method: 'post',
    path: '/detections',
    summary: 'Create a detection rule; it is evaluated over the fleet at once and fires within its guards',
    tag,
    auth: 'actions:edit',
    body: DetectionRuleInput,
    bodyLimit: 256 * 1024,
    response: DetectionRule,
    status: 201,
  }),
  get: endpoint({ method: 'get', path: '/detections/:id', summary: 'Get a detection rule', tag, auth: 'devices:read', params: ById, response: DetectionRule }),
  update: endpoint({
    method: 'put',
    path: '/detections/:id',
    summary: 'Change a detection rule; a new condition, action or parameters restarts its match state and rollout',
    tag,
    auth: 'actions:edit',
    params: ById,
    body: DetectionRuleUpdate,
    bodyLimit: 256 * 1024,
    response: DetectionRule,
  }),
  remove: endpoint({
    method: 'delete',
    path: '/detections/:id',
    summary: 'Delete a detection rule and its history (executions it launched stay)',
    tag,
    auth: 'actions:edit',
    params: ById,
    status: 204,
  }),
  dryRun: endpoint({
    method: 'post',
    path: '/detections/:id/dry-run',
    summary: 'Which devices in your scope the rule would fire on now, and which guard holds back the others; changes nothing',
    tag,
    auth: 'devices:read',
    params: ById,
    response: DetectionDryRun,
  }),
  health: endpoint({
    method: 'get',
    path: '/detections/:id/health',
    summary: 'Matches, runs by outcome, breaker and rollout state of a rule, counting only devices in your scope',
    tag,
    auth: 'devices:read',
    params: ById,
    response: DetectionHealth,
  }),
  events: endpoint({
    method: 'get',
    path: '/detections/:id/events',
    summary: 'The runs a rule fired, newest first, with how each ended (neutral self-help outcomes apart), on devices in your scope',
    tag,
    auth: 'devices:read',
    params: ById,
    query: PageQuery,
    response: DetectionEventList,
  }),
  resume: endpoint({
    method: 'post',
    path: '/detections/:id/resume',
    summary: 'Resume a paused rule (breaker or owner) as its new owner; the breaker window and the rollout start over',
    tag,
    auth: 'actions:edit',
    params: ById,
    response: DetectionRule,
  }),
};
