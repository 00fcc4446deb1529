/**
 * @module
 * The agent channel: one WebSocket per device at {@link AGENT_CHANNEL_PATH}, JSON text frames, one message per frame.
 *
 * ```
 * server → agent  challenge {nonce}
 * agent  → server hello {deviceId, signature, agentVersion, protocolVersion}
 * server → agent  welcome                      (or error {code:'unauthenticated'|'unsupported_version', …} and close)
 * agent  → server facts, result… (unacked ones again), pull
 * server → agent  execute {envelope}…          pending envelopes in seq order, then new ones as they are launched
 * agent  → server status delivered|running, result | refused
 * server → agent  ack {executionId}            for each result; unacked results are re-sent on every reconnect, and after a minute unacked while connected
 * server → agent  cancel {executionId}
 * server → agent  campaigns {requests}          every pending campaign request of the device, after pull and on change
 * agent  → server campaign_start {localId, …}   a script asks for a campaign (`fixpoint campaign`)
 * server → agent  campaign_started {localId, request, reused} | campaign_failed {localId, code, message}
 * agent  → server campaign_status {localId, requestId}   a script reads a request later (`fixpoint campaign --status`)
 * server → agent  campaign_state {localId, requestId, status, …} | campaign_failed {localId, code, message}
 * agent  → server campaign_response {requestId, state, …}
 * server → agent  campaign_ack {requestId, error?}   the response is stored (or refused for good); unacked ones are re-sent
 * server → agent  update {releaseId, version, …}  a release to install (see agent-releases.ts)
 * agent  → server help_request {localId, user, …} a user asks for help (help.ts); answered by help_ack {localId, id?, error?}
 * agent  → server update_status {outcome, …}   refused, rolled back, or updated; sent after each start until acked by a welcome
 * agent  → server self_service {localId, op, …}   a tray's self-service list or run (see self-service.ts)
 * server → agent  self_service_reply {localId, …}
 * either way      error {code, message}        a malformed or oversized frame; the connection stays up
 * ```
 * Every server → agent frame but challenge, welcome and error is a signed control frame (`control-frames.ts`):
 * it also carries `binding`, `keyId` and `signature`, and the agent ignores it unless they check out.
 * Both sides answer WebSocket pings; the agent pings every 30 s and drops a connection that stays silent.
 */
import { z } from 'zod';
import { ErrorCode, Id, Timestamp } from './common';
import { Envelope } from './executions';
import { AnswersSchema, CampaignParameterValues, DeviceCampaignState, FreeTextSchema, ResponseState, TargetUserName } from './campaign-api';
import { CampaignDefinition } from './campaigns';
import { maxScriptCampaignTimeoutSec } from './campaign-exit';
import { Base64, controlSeal, Nonce, type ControlFrameType } from './control-frames';
import { AgentHelpRequest, helpAckFields } from './help';
import { AgentVersion, ReleaseArch, ReleaseOs, UpdateOutcome, UpdateReason } from './agent-releases';
import { AgentSelfService, selfServiceReplyBody } from './self-service';

/** The fixed path of the channel, relative to the server URL the agent enrolled with. */
export const AGENT_CHANNEL_PATH = '/api/v1/agent/channel';

/** Largest frame either side accepts, in UTF-8 bytes. Larger frames get `payload_too_large`. */
export const CHANNEL_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/**
 * The exact bytes the agent signs (Ed25519, with its enrolled key) to answer a challenge.
 * @example agentAuthMessage(id, nonce) // "fixpoint-agent-auth:v1:<deviceId>:<nonce>"
 */
export function agentAuthMessage(deviceId: string, nonce: string): string {
  return `fixpoint-agent-auth:v1:${deviceId}:${nonce}`;
}

export const channelErrorCodes = [
  'protocol_error',
  'payload_too_large',
  'unauthenticated',
  'unsupported_version',
  'rate_limited',
  'internal',
] as const;
export const ChannelErrorCode = z.enum(channelErrorCodes);
export type ChannelErrorCode = z.infer<typeof ChannelErrorCode>;

/** Why an agent refused an envelope without running it. The execution becomes `failed` with this reason. */
export const refusalReasons = [
  'bad_signature',
  'unknown_key',
  'wrong_device',
  'wrong_platform',
  'expired',
  'replayed',
  'script_hash_mismatch',
  'unsigned_script',
  'bad_publisher_signature',
  'malformed_envelope',
] as const;
export const RefusalReason = z.enum(refusalReasons);
export type RefusalReason = z.infer<typeof RefusalReason>;

/** Why a run ended the way it did, when the exit code alone does not tell. */
export const resultReasons = [
  'agent_restarted',
  'no_interactive_user',
  'output_rejected',
  'spawn_failed',
  'timeout',
  'canceled',
] as const;
export const ResultReason = z.enum(resultReasons);
export type ResultReason = z.infer<typeof ResultReason>;

export const ChannelError = z.strictObject({
  type: z.literal('error'),
  code: ChannelErrorCode,
  message: z.string().max(2000),
});
export type ChannelError = z.infer<typeof ChannelError>;

// ── agent → server ────────────────────────────────────────────────────────────

export const AgentHello = z.strictObject({
  type: z.literal('hello'),
  deviceId: Id,
  /** Base64 Ed25519 signature over `agentAuthMessage(deviceId, nonce)`. */
  signature: Base64,
  agentVersion: z.string().min(1).max(50),
  protocolVersion: z.number().int().positive(),
});

export const AgentPull = z.strictObject({ type: z.literal('pull') });

export const AgentStatus = z.strictObject({
  type: z.literal('status'),
  executionId: Id,
  status: z.enum(['delivered', 'running']),
  at: Timestamp,
});

export const resultStatuses = ['succeeded', 'failed', 'timed_out', 'canceled'] as const;

/** The outcome of one execution. Tails are capped by the envelope's `outputCapBytes`; secret values appear as `***`. */
export const AgentResult = z.strictObject({
  type: z.literal('result'),
  executionId: Id,
  status: z.enum(resultStatuses),
  exitCode: z.number().int().nullable(),
  error: z.string().nullable(),
  reason: ResultReason.optional(),
  stdoutTail: z.string(),
  stderrTail: z.string(),
  /** Validated against the declared outputs; values are typed (see `coerceOutput`). */
  outputs: z.record(z.string(), z.unknown()),
  /** True when a tail was cut to fit the cap. */
  truncated: z.boolean(),
  startedAt: Timestamp.nullable().optional(),
  at: Timestamp,
});
export type AgentResult = z.infer<typeof AgentResult>;

export const AgentRefused = z.strictObject({
  type: z.literal('refused'),
  executionId: Id,
  reason: RefusalReason,
  message: z.string().max(2000),
});
export type AgentRefused = z.infer<typeof AgentRefused>;

export const AgentFacts = z.strictObject({
  type: z.literal('facts'),
  facts: z.record(z.string(), z.unknown()),
});

/** A script on the device asks for a campaign (`fixpoint campaign ID`); the server answers `campaign_started` or `campaign_failed`. */
export const AgentCampaignStart = z.strictObject({
  type: z.literal('campaign_start'),
  /** Chosen by the agent to match the answer to the script waiting for it. */
  localId: Id,
  /** Campaign id or slug. */
  campaign: z.string().min(1).max(64),
  parameters: CampaignParameterValues.default({}),
  /** How long the script waits; the request expires no earlier than this. */
  timeoutSec: z.number().int().min(1).max(maxScriptCampaignTimeoutSec).optional(),
  /** The console user the campaign is meant for, when one is logged in. */
  user: TargetUserName.nullable(),
  /** The execution whose script asked, for the audit trail. */
  executionId: Id.optional(),
});
export type AgentCampaignStart = z.infer<typeof AgentCampaignStart>;

/** A script reads a request of this device (`fixpoint campaign --status ID`); answered with `campaign_state` or `campaign_failed`. */
export const AgentCampaignStatus = z.strictObject({ type: z.literal('campaign_status'), localId: Id, requestId: Id });
export type AgentCampaignStatus = z.infer<typeof AgentCampaignStatus>;

/** How a campaign request ended on the device (or `postponed`, which leaves it pending). Acked with `campaign_ack`. */
export const AgentCampaignResponse = z.strictObject({
  type: z.literal('campaign_response'),
  requestId: Id,
  state: ResponseState,
  answers: AnswersSchema.default({}),
  freeText: FreeTextSchema.default({}),
  /** The user who answered, when there was one. */
  user: z.string().max(256).nullable(),
  language: z.string().max(35).optional(),
  at: Timestamp,
});
export type AgentCampaignResponse = z.infer<typeof AgentCampaignResponse>;

/** How an update the server sent ended on the device: refused, rolled back, or running the new version. */
export const AgentUpdateStatus = z.strictObject({
  type: z.literal('update_status'),
  releaseId: Id.nullable(),
  version: z.string().max(50),
  outcome: UpdateOutcome,
  reason: UpdateReason.optional(),
  message: z.string().max(2000),
  at: Timestamp,
});
export type AgentUpdateStatus = z.infer<typeof AgentUpdateStatus>;

export const AgentMessage = z.discriminatedUnion('type', [
  AgentHello,
  AgentUpdateStatus,
  AgentPull,
  AgentStatus,
  AgentResult,
  AgentRefused,
  AgentFacts,
  AgentCampaignStart,
  AgentCampaignStatus,
  AgentCampaignResponse,
  AgentSelfService,
  AgentHelpRequest,
  ChannelError,
]);
export type AgentMessage = z.infer<typeof AgentMessage>;

// ── server → agent ────────────────────────────────────────────────────────────

export const ServerChallenge = z.strictObject({ type: z.literal('challenge'), nonce: Nonce });
export const ServerWelcome = z.strictObject({
  type: z.literal('welcome'),
  /** Server clock, so the agent can warn about skew that would expire envelopes early or late. */
  serverTime: Timestamp.optional(),
});
export const ServerExecute = z.strictObject({ type: z.literal('execute'), envelope: Envelope });
export const ServerAck = z.strictObject({ type: z.literal('ack'), executionId: Id, ...controlSeal });
export const ServerCancel = z.strictObject({ type: z.literal('cancel'), executionId: Id, ...controlSeal });

/**
 * Update to a release: download it from `path` (under the server URL), check its size, hash and the update key's
 * signature over `releaseSigningText`, then swap the binary. The agent answers with `update_status`.
 */
export const ServerUpdate = z.strictObject({
  type: z.literal('update'),
  releaseId: Id,
  version: AgentVersion,
  os: ReleaseOs,
  arch: ReleaseArch,
  size: z.number().int().positive(),
  sha256: z.string().max(64),
  /** The update key's signature as uploaded (base64); empty or wrong ones are refused on the device. */
  releaseSignature: z.string().max(200),
  rollback: z.boolean(),
  path: z.string().max(200).regex(/^\/api\/v1\//),
  ...controlSeal,
});

/** Largest number of pending campaign requests one `campaigns` message carries; older ones follow as others close. */
export const maxPushedCampaignRequests = 50;

/** A pending campaign request as the device gets it: the version's definition, rendered on the device in the user's language. */
export const CampaignRequestPush = z.strictObject({
  requestId: Id,
  campaignId: Id,
  campaignVersion: z.number().int().positive(),
  definition: CampaignDefinition,
  parameters: z.record(z.string(), z.string()),
  /** The user a trigger named; null when it named the device (the console user answers). */
  targetUser: z.string().max(256).nullable(),
  urgency: z.enum(['normal', 'urgent']),
  /** `script` when a script on the device asked for it and waits for the answer. */
  source: z.enum(['script', 'server']),
  createdAt: Timestamp,
  expiresAt: Timestamp,
});
export type CampaignRequestPush = z.infer<typeof CampaignRequestPush>;

/** Every pending request of the device (replacing what an earlier `campaigns` said): the agent drops what is missing. */
export const ServerCampaigns = z.strictObject({
  type: z.literal('campaigns'),
  requests: z.array(CampaignRequestPush).max(maxPushedCampaignRequests),
  ...controlSeal,
});
export const ServerCampaignStarted = z.strictObject({
  type: z.literal('campaign_started'),
  localId: Id,
  request: CampaignRequestPush,
  /** The request was already pending (someone else asked first): the script reads its answer but never closes it. */
  reused: z.boolean().optional(),
  ...controlSeal,
});
/** A request of the device as `campaign_status` asked for it. */
export const ServerCampaignState = z.strictObject({
  type: z.literal('campaign_state'),
  localId: Id,
  requestId: Id,
  status: DeviceCampaignState,
  answers: AnswersSchema,
  freeText: FreeTextSchema,
  ...controlSeal,
});
export const ServerCampaignFailed = z.strictObject({
  type: z.literal('campaign_failed'),
  localId: Id,
  code: ErrorCode,
  message: z.string().max(2000),
  ...controlSeal,
});
/** The response is stored, or `error` says why it never will be (the request closed meanwhile, answers that do not fit). */
export const ServerCampaignAck = z.strictObject({
  type: z.literal('campaign_ack'),
  requestId: Id,
  error: z.strictObject({ code: ErrorCode, message: z.string().max(2000) }).optional(),
  ...controlSeal,
});

/** The answer to an agent's `self_service` (see self-service.ts). */
export const ServerSelfServiceReply = z.strictObject({ ...selfServiceReplyBody, ...controlSeal });
/** The answer to an agent's `help_request` (see help.ts). */
export const ServerHelpAck = z.strictObject({ ...helpAckFields, ...controlSeal });

export const ServerMessage = z.discriminatedUnion('type', [
  ServerChallenge,
  ServerWelcome,
  ServerExecute,
  ServerAck,
  ServerCancel,
  ServerCampaigns,
  ServerCampaignStarted,
  ServerCampaignFailed,
  ServerCampaignAck,
  ServerCampaignState,
  ServerUpdate,
  ServerSelfServiceReply,
  ServerHelpAck,
  ChannelError,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** A server message the agent acts on only when signed (see `control-frames.ts`). */
export type ServerControl = Extract<ServerMessage, { type: ControlFrameType }>;
/** A control frame before the server seals it: what the backend's code writes. */
export type ControlBody = ServerControl extends infer M ? (M extends ServerControl ? Omit<M, keyof typeof controlSeal> : never) : never;
