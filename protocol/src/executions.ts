import { z } from 'zod';
import { Platform, Id, page, Timestamp } from './common';
import { OutputDecl, ParameterValue, RunAs, WhenNoUser } from './actions';
import { limits } from './limits';
import { ExecutionCounts } from './execution-counts';
import { executionStatuses } from './execution-states';
import { RolloutEvent, RolloutInput, RolloutProgress } from './rollout';
import { EnvelopeProof } from './envelope-proof';
import { ExecutionOrigin } from './self-service';
import { neutralOutcomes } from './campaign-exit';
import { NeutralOutcomeSchema } from './detections';

// The state machine constants live in a zod-free module so browser bundles can use them without zod.
export { executionStatuses, terminalStatuses, isTerminal, transitions } from './execution-states';
export const ExecutionStatus = z.enum(executionStatuses);
export type ExecutionStatus = z.infer<typeof ExecutionStatus>;

/** How an execution ended as the query language and the executions list name it: its status, or its neutral outcome. */
export const executionOutcomes = [...executionStatuses, ...neutralOutcomes] as const;
export const ExecutionOutcome = z.enum(executionOutcomes);
export type ExecutionOutcome = z.infer<typeof ExecutionOutcome>;

export const executionTriggers = ['manual', 'extension', 'api', 'schedule', 'detection', 'campaign', 'self_service'] as const;
export const ExecutionTrigger = z.enum(executionTriggers);
export type ExecutionTrigger = z.infer<typeof ExecutionTrigger>;

export const TriggerInfo = z.strictObject({
  externalSource: z.string().max(100).optional(),
  externalReference: z.string().max(500).optional(),
  /** The device name as the external page showed it (a ticket's configuration item), next to the device chosen. */
  externalDeviceName: z.string().max(200).optional(),
  reason: z.string().max(2000).optional(),
  /**
   * Set by the server on launches by automation (schedules, detection rules): the user or API client whose rights
   * the launch used, while `requestedBy` names the automation. Callers cannot send it.
   */
  owner: z.string().max(400).optional(),
});
export type TriggerInfo = z.infer<typeof TriggerInfo>;

export const LaunchRequest = z.strictObject({
  /** Action id or slug. The latest version is used unless `actionVersion` is given. */
  action: z.string().min(1).max(100),
  actionVersion: z.number().int().positive().optional(),
  devices: z
    .array(Id)
    .min(1, 'give at least one device')
    .max(limits.maxDevicesPerLaunch, `a launch is limited to ${limits.maxDevicesPerLaunch} devices`),
  parameters: z.record(z.string(), ParameterValue).default({}),
  /** Seconds the executions stay valid for offline devices; defaults to the action's expiry. */
  expirySec: z.number().int().min(limits.minExpirySec).max(limits.maxExpirySec).optional(),
  trigger: z.enum(['manual', 'extension', 'api']).optional(),
  triggerInfo: TriggerInfo.omit({ owner: true }).default({}),
  /**
   * Staged rollout: later waves wait as `held` until the wave before succeeded. Launches to more devices than the
   * rollout threshold (default 50) get the default rollout when this is omitted; `null` launches to every device at
   * once, and above the threshold needs the `actions:run_unstaged` permission.
   */
  rollout: RolloutInput.nullable().optional(),
  /** Above the rollout threshold, the number of target devices, typed by the person launching (409 otherwise). */
  confirmDeviceCount: z.number().int().min(0).optional(),
});
export type LaunchRequest = z.infer<typeof LaunchRequest>;

export const Execution = z.object({
  id: Id,
  requestId: Id,
  deviceId: Id,
  deviceName: z.string().optional(),
  actionId: Id,
  actionSlug: z.string(),
  actionVersionId: Id,
  actionVersion: z.number().int(),
  status: ExecutionStatus,
  trigger: ExecutionTrigger,
  triggerInfo: TriggerInfo,
  requestedBy: z.string(),
  /** Parameter values; secret ones are replaced by "***". */
  parameters: z.record(z.string(), ParameterValue),
  expiresAt: Timestamp,
  createdAt: Timestamp,
  deliveredAt: Timestamp.nullable(),
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  exitCode: z.number().int().nullable(),
  error: z.string().nullable(),
  stdoutTail: z.string().nullable(),
  stderrTail: z.string().nullable(),
  outputs: z.record(z.string(), z.unknown()).nullable(),
  /**
   * Set when a self-help run (an action that runs as the user, or a self-help detection rule's run) failed with one of
   * the exit codes `fixpoint campaign` returns for a neutral outcome; the status stays the execution's own.
   */
  neutral: NeutralOutcomeSchema.nullable(),
});
export type Execution = z.infer<typeof Execution>;

export const LaunchResponse = z.object({
  requestId: Id,
  executions: z.array(z.object({ id: Id, deviceId: Id, status: ExecutionStatus })),
  /** With `?wait=N`: the single execution, outputs included, when it ended within the wait (then the status is 200). */
  execution: Execution.optional(),
});

/** `POST /executions?wait=N`: wait up to N seconds (1–60) for a single-device launch to end. */
export const LaunchQuery = z.strictObject({ wait: z.coerce.number().int().min(1).max(60).optional() });
export type LaunchResponse = z.infer<typeof LaunchResponse>;

export const ExecutionEvent = z.object({
  type: z.literal('execution'),
  id: Id,
  requestId: Id,
  deviceId: Id,
  status: ExecutionStatus,
  at: Timestamp,
});
export type ExecutionEvent = z.infer<typeof ExecutionEvent>;

/** What the live status stream carries: an execution's status (SSE event `execution`) or a rollout's state (`request.rollout`). */
export const LiveEvent = z.discriminatedUnion('type', [ExecutionEvent, RolloutEvent]);
export type LiveEvent = z.infer<typeof LiveEvent>;

/** `2025-05-01T09:00:00Z` (an instant) or `2025-05-01T09:00:00` (the device's local wall clock). */
export const NotBefore = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z?$/, 'an ISO date-time, in UTC (Z) or without a zone');

/**
 * What the backend signs for one execution on one device. The signature (Ed25519 over `canonicalJson(payload)`)
 * binds the device, the execution, the exact script bytes (by hash), the parameters, the expiry and any hold.
 */
export const EnvelopePayload = z.strictObject({
  v: z.literal(1),
  executionId: Id,
  deviceId: Id,
  actionSlug: z.string(),
  actionVersionId: Id,
  platform: Platform,
  shell: z.enum(['powershell', 'zsh', 'bash', 'sh']),
  /** Hex SHA-256 of the UTF-8 script text. */
  scriptSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * The approval's publisher signature, for agents that require signed scripts; absent for unapproved versions.
   * Written `<version>:<base64 Ed25519>`, the signature over `publisherSigningText` of the action slug, that version
   * number, the platform and the script hash (the version number rides here so envelopes keep their fields).
   */
  publisherSignature: z.string().max(200).optional(),
  runAs: RunAs,
  /** For `runAs: user`: what to do while nobody is logged in at the console; absent means `wait`. */
  whenNoUser: WhenNoUser.exclude(['wait']).optional(),
  parameters: z.record(z.string(), ParameterValue),
  secretParameters: z.array(z.string()),
  outputs: z.array(OutputDecl),
  timeoutSec: z.number().int(),
  outputCapBytes: z.number().int(),
  issuedAt: Timestamp,
  expiresAt: Timestamp,
  /**
   * Hold until then (schedules in device time, or spread over a window): an instant ending in `Z`, or a wall-clock
   * time without a zone that the device reads on its own clock. Absent: run at once. Signed like the rest, so
   * nobody on the way can move it; the expiry still ends a held envelope.
   */
  notBefore: NotBefore.optional(),
  /** Who launched it and from which ticket, for the device's activity view; absent on runs launched before it existed. */
  origin: ExecutionOrigin.optional(),
});
export type EnvelopePayload = z.infer<typeof EnvelopePayload>;

export const Envelope = z.strictObject({
  payload: EnvelopePayload,
  script: z.string(),
  /**
   * Base64 Ed25519 signature over `canonicalJson(payload)`, or, with a `proof`, over `envelopeRootText(proof.root)`:
   * the one signature of a launch's Merkle tree.
   */
  signature: z.string(),
  keyId: z.string(),
  proof: EnvelopeProof.optional(),
});
export type Envelope = z.infer<typeof Envelope>;

export const ExecutionListQuery = z.object({
  status: ExecutionStatus.optional(),
  /** The status, or the neutral outcome of a self-help run (`declined`, `postponed`, `timeout`, `no_user`). */
  outcome: ExecutionOutcome.optional(),
  deviceId: Id.optional(),
  requestId: Id.optional(),
  action: z.string().max(100).optional(),
  trigger: ExecutionTrigger.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ExecutionListQuery = z.infer<typeof ExecutionListQuery>;
export const ExecutionList = page(Execution);

/** One launch with how many of its executions (on devices the caller may see) are in each state. */
export const ExecutionRequestSummary = z.object({
  id: Id,
  actionId: Id,
  actionSlug: z.string(),
  actionVersionId: Id,
  actionVersion: z.number().int(),
  requestedBy: z.string(),
  trigger: ExecutionTrigger,
  triggerInfo: TriggerInfo,
  createdAt: Timestamp,
  total: z.number().int(),
  /** Executions per status, every status listed (an object with one property each, so the OpenAPI schema declares them). */
  counts: ExecutionCounts,
  /** The staged rollout's progress, or null for a launch to every device at once. */
  rollout: RolloutProgress.nullable(),
});
export type ExecutionRequestSummary = z.infer<typeof ExecutionRequestSummary>;

/** Filters of the live status stream; without either, every execution the caller may see. */
export const ExecutionEventsQuery = z.object({ requestId: Id.optional(), deviceId: Id.optional() });
export type ExecutionEventsQuery = z.infer<typeof ExecutionEventsQuery>;

/** The `Idempotency-Key` header of a launch: a retry with the same key returns the first response instead of launching again. */
export const IdempotencyKey = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
