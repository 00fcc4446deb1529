/** @module Building result messages that always fit in one channel frame. */
import { CHANNEL_MAX_MESSAGE_BYTES, campaignExitCodes, type AgentResult, type ResultReason } from '@fixpoint/protocol';
import { utf8Tail } from './tail-buffer';

/** A result for an execution that never produced output (refused to start, lost to a restart, canceled while queued). */
export function failedResult(
  executionId: string,
  status: 'failed' | 'canceled',
  reason: ResultReason,
  error: string,
  now: Date,
  startedAt: string | null = null,
): AgentResult {
  return {
    type: 'result', executionId, status, exitCode: null, error, reason,
    stdoutTail: '', stderrTail: '', outputs: {}, truncated: false, startedAt, at: now.toISOString(),
  };
}

/**
 * A `runAs: user` run that ended because nobody was logged in at the console. With `whenNoUser: skip` or `wait` it
 * carries exit code 14 (`no_user`, as `fixpoint campaign` returns it): a neutral self-help outcome. With `fail` it
 * has no exit code: a failure.
 */
export function noUserResult(executionId: string, neutral: boolean, error: string, now: Date, startedAt: string | null = null): AgentResult {
  const result = failedResult(executionId, 'failed', 'no_interactive_user', error, now, startedAt);
  return neutral ? { ...result, exitCode: campaignExitCodes.no_user } : result;
}

const frameBytes = (r: AgentResult) => Buffer.byteLength(JSON.stringify(r), 'utf8');

/**
 * Shrinks a result until it fits in one frame: first the longer tail is halved (keeping its end), then, as a last
 * resort, outputs are dropped and the execution fails with a message saying so.
 */
export function fitResult(result: AgentResult, maxBytes = CHANNEL_MAX_MESSAGE_BYTES - 4096): AgentResult {
  let r = result;
  while (frameBytes(r) > maxBytes && (r.stdoutTail || r.stderrTail)) {
    const key = Buffer.byteLength(r.stdoutTail) >= Buffer.byteLength(r.stderrTail) ? 'stdoutTail' : 'stderrTail';
    const half = Math.floor(Buffer.byteLength(r[key]) / 2);
    r = { ...r, [key]: half < 64 ? '' : utf8Tail(r[key], half), truncated: true };
  }
  if (r.error && frameBytes(r) > maxBytes) r = { ...r, error: utf8Tail(r.error, 4096) };
  if (frameBytes(r) > maxBytes)
    r = { ...r, outputs: {}, status: 'failed', reason: 'output_rejected', error: 'the outputs exceed the message size limit' };
  return r;
}
