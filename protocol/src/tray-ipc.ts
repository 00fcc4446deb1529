/**
 * @module Local IPC on the device, JSON lines (one message per `\n`-terminated line) over a Unix socket or named pipe.
 *
 * Tray client ↔ agent, on the user's own socket (`/run/fixpoint/<uid>/agent.sock`, `\\.\pipe\fixpoint-<SID>-<tag>`):
 * ```
 * tray  → agent  hello {token, user, pid, language?, version}   token: the per-user secret file next to the socket
 * agent → tray   welcome {agentVersion}                        (or error {code:'unauthenticated'} and close)
 * ```
 * On Windows, whose pipe any local account can also serve (see agent/src/README.md), neither side sends the secret:
 * ```
 * agent → tray   challenge {nonce}                             first, on every connection
 * tray  → agent  hello {nonce, proof, user, pid, …}            proof: HMAC-SHA256(secret, "fixpoint-tray-tray\n" + nonces)
 * agent → tray   welcome {agentVersion, proof}                 proof with "fixpoint-tray-agent": the tray checks it,
 *                                                               and it is the last plain line
 * either way     sealed {seq, box}                             every later line, see below
 * ```
 * Sealed lines (Windows): the key is HMAC-SHA256(secret, "fixpoint-tray-seal\n" + agentNonce + "\n" + trayNonce); `box` is
 * the AES-256-GCM ciphertext and tag, base64url, of the ordinary JSON line, under the IV of 4 bytes of direction (0 agent →
 * tray, 1 tray → agent) and the 8-byte big-endian `seq`, from 0 each way. The receiver takes only the next `seq` and a
 * tag that verifies, and closes the connection on anything else: another account that relays the pipe can neither read
 * a line nor change, forge, replay, reorder or leave out one and pass on a later one; it can only hold lines back or
 * end the connection.
 * Then, on every platform (the lines inside the seal on Windows):
 * ```
 * agent → tray   prompt {request}… · withdraw {requestId, reason} · pending {count}
 * tray  → agent  shown {requestId} · answer {requestId, state, answers, freeText, …} · help {localId, subject, …}
 * agent → tray   help_result {localId, id?, error?}          (see help.ts)
 * either way     error {code, message}                         a malformed line; the connection stays up
 * ```
 * Script → agent, on the run's own control socket (`$FIXPOINT_CONTROL`), one exchange per connection:
 * ```
 * script → agent  campaign {token, campaign, parameters, timeoutSec?, deadline?, maxPostpones?, countdownSec?}
 * agent → script  outcome {status, answers, freeText, requestId?, message?}
 * ```
 */
import { z } from 'zod';
import { Id, Timestamp, utf8Length } from './common';
import { AnswersSchema, CampaignParameterValues, DeviceCampaignState, FreeTextSchema } from './campaign-api';
import { maxScriptCampaignTimeoutSec } from './campaign-exit';
import { TrayHelp, TrayHelpResult } from './help';
import { decodeMessage } from './wire';
import { RenderedCampaign } from './campaign-render';
import { CampaignDefinition, campaignLimits, LanguageCode } from './campaigns';
import { TrayActivityList, TrayActivityRequest, TraySelfService, TraySelfServiceError, TraySelfServiceFixes, TraySelfServiceProgress } from './self-service';

export { campaignExitCodes, maxScriptCampaignTimeoutSec, type CampaignExitStatus } from './campaign-exit';

/** Longest line either side accepts, in UTF-8 bytes (a prompt carries the whole definition, logo included). */
export const TRAY_IPC_MAX_LINE_BYTES = 4 * 1024 * 1024;

/** 32 random bytes, base64url: the per-user secret a tray presents, and the per-run secret a script presents. */
export const IpcToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, '32 bytes, base64url');

export const ipcErrorCodes = ['protocol_error', 'payload_too_large', 'unauthenticated', 'not_found', 'conflict'] as const;
export const IpcError = z.strictObject({ type: z.literal('error'), code: z.enum(ipcErrorCodes), message: z.string().max(2000) });
export type IpcError = z.infer<typeof IpcError>;

// ── tray → agent ──────────────────────────────────────────────────────────────

/** An HMAC-SHA256, hex: proves the secret without sending it. */
export const IpcProof = z.string().regex(/^[0-9a-f]{64}$/, 'HMAC-SHA256, hex');

export const TrayHello = z.strictObject({
  type: z.literal('hello'),
  /** The secret itself, where only the user can reach the socket (Linux, macOS). */
  token: IpcToken.optional(),
  /** Windows: the tray's nonce, and its proof of the secret over both nonces. */
  nonce: IpcToken.optional(),
  proof: IpcProof.optional(),
  /** The account name the tray runs as; must be the socket's owner. */
  user: z.string().min(1).max(256),
  pid: z.number().int().positive(),
  /** The user's language, so prompts are rendered in it. */
  language: LanguageCode.optional(),
  version: z.string().min(1).max(50),
});
export type TrayHello = z.infer<typeof TrayHello>;

/** The prompt is on screen: a request that then times out is a `timeout`, not a `notification_failed`. */
export const TrayShown = z.strictObject({ type: z.literal('shown'), requestId: Id });

export const TrayAnswer = z.strictObject({
  type: z.literal('answer'),
  requestId: Id,
  state: z.enum(['fully', 'declined', 'postponed']),
  answers: AnswersSchema.default({}),
  freeText: FreeTextSchema.default({}),
  language: LanguageCode.optional(),
  respondedAt: Timestamp,
});
export type TrayAnswer = z.infer<typeof TrayAnswer>;

export const TrayMessage = z.discriminatedUnion('type', [
  TrayHello, TrayShown, TrayAnswer, TrayHelp, IpcError,
  // self-service and the activity view (self-service.ts)
  TraySelfService, TrayActivityRequest,
]);
export type TrayMessage = z.infer<typeof TrayMessage>;

// ── both ways, Windows, after the welcome ──────────────────────────────────────

/** Longest sealed line: a line of {@link TRAY_IPC_MAX_LINE_BYTES}, its 16-byte tag, base64url, and the envelope. */
export const TRAY_IPC_MAX_SEALED_LINE_BYTES = Math.ceil((TRAY_IPC_MAX_LINE_BYTES + 16) / 3) * 4 + 64;

/** One line sealed with the connection's key (see the module comment); `box` opens to an ordinary message. */
export const TraySealed = z.strictObject({
  type: z.literal('sealed'),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  box: z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url').min(22),
});
export type TraySealed = z.infer<typeof TraySealed>;

// ── agent → tray ──────────────────────────────────────────────────────────────

export const TrayWelcome = z.strictObject({
  type: z.literal('welcome'),
  agentVersion: z.string().max(50),
  /** Windows: the agent's proof of the secret, answering the tray's nonce. */
  proof: IpcProof.optional(),
});
/** Windows: the agent's nonce, the first line on a connection. */
export const TrayChallenge = z.strictObject({ type: z.literal('challenge'), nonce: IpcToken });

/** When a request must be answered by: see `CampaignFields.deadlineSec`. */
export const PromptDeadline = z.strictObject({
  at: Timestamp,
  countdownSec: z.number().int().min(campaignLimits.minCountdownSec).max(campaignLimits.maxCountdownSec),
  /** Postpones the user may still take; null without a limit. */
  postponesLeft: z.number().int().min(0).max(campaignLimits.maxPostpones).nullable(),
});
export type PromptDeadline = z.infer<typeof PromptDeadline>;

/** One campaign request to show. */
export const PromptRequest = z.strictObject({
  requestId: Id,
  campaignId: Id,
  campaignVersion: z.number().int().positive(),
  /** The definition the request was sent with: the prompt component walks its branching. */
  campaign: CampaignDefinition,
  /** `renderCampaign` in the tray's language: titles for the notification and the menu. */
  rendered: RenderedCampaign,
  parameters: z.record(z.string(), z.string()),
  urgency: z.enum(['normal', 'urgent']),
  source: z.enum(['script', 'server']),
  expiresAt: Timestamp,
  /** Set after a postpone: not to be shown again before this time. */
  notBefore: Timestamp.optional(),
  /** The request's deadline: the prompt counts down the last `countdownSec` and offers only `postponesLeft` postpones. */
  deadline: PromptDeadline.optional(),
});
export type PromptRequest = z.infer<typeof PromptRequest>;

export const TrayPrompt = z.strictObject({ type: z.literal('prompt'), request: PromptRequest });
/** The request no longer needs an answer from this tray (answered elsewhere, expired, canceled, timed out). */
export const TrayWithdraw = z.strictObject({
  type: z.literal('withdraw'),
  requestId: Id,
  reason: z.enum(['answered', 'expired', 'canceled', 'timeout', 'deadline_reached']),
});
export const TrayPending = z.strictObject({ type: z.literal('pending'), count: z.number().int().min(0) });

export const AgentToTrayMessage = z.discriminatedUnion('type', [
  TrayChallenge, TrayWelcome, TrayPrompt, TrayWithdraw, TrayPending, TrayHelpResult, IpcError,
  // self-service and the activity view (self-service.ts)
  TraySelfServiceFixes, TraySelfServiceError, TraySelfServiceProgress, TrayActivityList,
]);
export type AgentToTrayMessage = z.infer<typeof AgentToTrayMessage>;

// ── script ↔ agent ────────────────────────────────────────────────────────────

export const ScriptCampaignRequest = z.strictObject({
  type: z.literal('campaign'),
  token: IpcToken,
  /** Campaign id or slug. */
  campaign: z.string().min(1).max(64),
  parameters: CampaignParameterValues.default({}),
  timeoutSec: z.number().int().min(1).max(maxScriptCampaignTimeoutSec).optional(),
  /** Answer with the request id as soon as the request exists (`--no-wait`); the request lives on after the script. */
  noWait: z.boolean().optional(),
  /** Overrides the campaign's deadline (`--deadline`), postpone limit (`--max-postpones`) and countdown (`--countdown`). */
  deadline: Timestamp.optional(),
  maxPostpones: z.number().int().min(0).max(campaignLimits.maxPostpones).optional(),
  countdownSec: z.number().int().min(campaignLimits.minCountdownSec).max(campaignLimits.maxCountdownSec).optional(),
});
export type ScriptCampaignRequest = z.infer<typeof ScriptCampaignRequest>;

/** `fixpoint campaign --status ID`: where a request of this device stands now. */
export const ScriptCampaignStatusRequest = z.strictObject({ type: z.literal('campaign_status'), token: IpcToken, requestId: Id });
export type ScriptCampaignStatusRequest = z.infer<typeof ScriptCampaignStatusRequest>;

/** What a run's control socket accepts: one of these per connection. */
export const ScriptControlRequest = z.discriminatedUnion('type', [ScriptCampaignRequest, ScriptCampaignStatusRequest]);
export type ScriptControlRequest = z.infer<typeof ScriptControlRequest>;

/** What `fixpoint campaign` prints. `error` means the campaign never started; `message` says why. */
export const ScriptCampaignOutcome = z.strictObject({
  type: z.literal('outcome'),
  status: z.union([DeviceCampaignState, z.literal('error')]),
  answers: z.record(z.string(), z.array(z.string())),
  freeText: z.record(z.string(), z.string()),
  requestId: Id.optional(),
  message: z.string().max(2000).optional(),
});
export type ScriptCampaignOutcome = z.infer<typeof ScriptCampaignOutcome>;

// ── parsing ───────────────────────────────────────────────────────────────────

export type ParsedLine<T> = { ok: true; message: T } | { ok: false; error: IpcError };

function parseLine<T>(schema: z.ZodType<T>, line: string, maxBytes = TRAY_IPC_MAX_LINE_BYTES): ParsedLine<T> {
  const decoded = decodeMessage(schema, line, maxBytes);
  return decoded.ok ? { ok: true, message: decoded.message } : { ok: false, error: { type: 'error', code: decoded.code, message: decoded.message } };
}

/** Parses one line the agent got from a tray. Never throws. */
export const parseTrayMessage = (line: string) => parseLine(TrayMessage, line);
/** Parses one line a tray got from the agent. Never throws. */
export const parseAgentToTrayMessage = (line: string) => parseLine(AgentToTrayMessage, line);
/** Parses the envelope of a sealed line, either way. Never throws. */
export const parseSealedLine = (line: string) => parseLine(TraySealed, line, TRAY_IPC_MAX_SEALED_LINE_BYTES);
/** Parses the line a script sent on its control socket. Never throws. */
export const parseScriptCampaignRequest = (line: string) => parseLine(ScriptControlRequest, line);

/**
 * Splits a text stream into lines, holding at most `maxBytes` of an unfinished line: past that, `onOverflow`
 * is called once and the rest of that line is skipped up to its newline, so a peer cannot grow memory without end.
 * @example const push = lineSplitter(line => handle(line), () => reply('payload_too_large')); socket.on('data', push);
 */
export function lineSplitter(onLine: (line: string) => void, onOverflow: () => void, maxBytes = TRAY_IPC_MAX_LINE_BYTES): (chunk: string) => void {
  let buffer = '';
  let skipping = false;
  return (chunk: string) => {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      start = nl + 1;
      if (skipping) {
        skipping = false;
        buffer = '';
        continue;
      }
      const line = buffer + piece;
      buffer = '';
      if (line.trim()) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    if (skipping) return;
    buffer += chunk.slice(start);
    // a UTF-16 unit is at most 3 UTF-8 bytes: check the cheap bound first
    if (buffer.length * 3 > maxBytes && utf8Length(buffer) > maxBytes) {
      buffer = '';
      skipping = true;
      onOverflow();
    }
  };
}
