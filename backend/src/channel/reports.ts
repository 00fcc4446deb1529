/**
 * @module What the backend does with an authenticated agent's reports. Progress (`delivered`/`running`), results and
 * facts arriving in the same turn of the event loop are written together; refusals go through the state machine one
 * by one. Every result is acknowledged once it is stored, or once it is clear it never will be
 * (a repeat, a finished execution, another device's execution), so the agent stops re-sending it.
 */
import type { ControlBody } from '@fixpoint/protocol';
import type { AppContext } from '../context';
import { retryTransient } from '../db/transient';
import { AppError, isInputError } from '../errors';
import { findUnstorable } from '../input-guard';
import { storeFacts } from '../services/devices';
import {
  executionStatusesOf, recordProgress, recordResults, transitionExecution, type ProgressReport, type ResultReport, type ResultsOutcome,
} from '../services/executions';
import type { AgentConnection, AgentMessageOf } from './connection';
import { FactsQuota, factsPerMinute } from './limits';

/** Facts larger than this (as JSON) are refused: they are a snapshot of a machine, not a data dump. */
export const maxFactsBytes = 256 * 1024;

/**
 * Group commit: items that arrive while a batch is being written wait and go together in the next one (plus
 * whatever arrives in the same turn of the event loop). Each caller waits for its own batch. A batch the database
 * refused for a passing reason (a deadlock, a connection refused) is written again, so the agents' reports are not
 * answered with an error (results would then wait for the agent to offer them again).
 */
function batcher<T>(log: AppContext['log'], run: (items: T[]) => Promise<void>): (item: T) => Promise<void> {
  let queue: { item: T; resolve(): void; reject(error: unknown): void }[] = [];
  let busy = false;
  const drain = async () => {
    while (queue.length) {
      const batch = queue;
      queue = [];
      const items = batch.map((b) => b.item);
      const onRetry = (error: unknown, attempt: number) => log.warn('channel: storing reports failed; trying again', { reports: items.length, attempt, error: String(error) });
      await retryTransient(() => run(items), { onRetry }).then(
        () => batch.forEach((b) => b.resolve()),
        (error: unknown) => batch.forEach((b) => b.reject(error)),
      );
    }
    busy = false;
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (busy) return;
      busy = true;
      setImmediate(() => void drain());
    });
}

/** Windows exit codes are unsigned 32-bit; the column is a signed integer, as Windows tools show them. */
export function exitCodeFor(code: number | null): number | null {
  if (code === null) return null;
  if (code >= -(2 ** 31) && code < 2 ** 31) return code;
  return code >= 0 && code < 2 ** 32 ? code | 0 : null;
}

export interface ReportOptions {
  /** Signs and sends a control frame to a device connected to this instance. */
  sendTo(deviceId: string, message: ControlBody): void;
}

export function createReports(ctx: AppContext, options: ReportOptions) {
  // The agent's clock stamps its reports; one running ahead must not finish executions in the future.
  const when = (iso: string) => {
    const t = Date.parse(iso);
    const now = ctx.now();
    return Number.isNaN(t) || t > now.getTime() ? now : new Date(t);
  };

  const writeProgress = batcher<ProgressReport>(ctx.log, async (reports) => {
    const { ignored } = await recordProgress(ctx, reports);
    // An agent working on something canceled meanwhile (it was offline when the cancel was sent) is told again.
    const byDevice = new Map<string, string[]>();
    for (const r of ignored) byDevice.set(r.deviceId, [...(byDevice.get(r.deviceId) ?? []), r.executionId]);
    for (const [deviceId, ids] of byDevice) {
      const statuses = await executionStatusesOf(ctx, deviceId, ids);
      for (const [executionId, status] of statuses) if (status === 'canceled') options.sendTo(deviceId, { type: 'cancel', executionId });
    }
  });

  const factsQuota = new FactsQuota();
  const writeFacts = batcher<{ deviceId: string; facts: Record<string, unknown> }>(ctx.log, async (reports) => {
    const changed = await storeFacts(ctx, reports);
    for (const deviceId of changed) ctx.deviceEvents.publish({ deviceId, kind: 'facts' });
  });

  // Results of many agents are stored together (a fan-out finishes thousands at once). When the database refuses a
  // value in the batch, each result is stored on its own, and one it still refuses keeps its outcome without the rest.
  const writeResult = batcher<ResultReport>(ctx.log, async (reports) => {
    let applied: ResultsOutcome['applied'];
    try {
      ({ applied } = await recordResults(ctx, reports));
    } catch (failure) {
      if (!isInputError(failure)) throw failure;
      applied = [];
      for (const r of reports) if (await storeOne(r)) applied.push({ id: r.executionId, deviceId: r.deviceId, status: r.status, outputs: Object.keys(r.outputs).length > 0 });
    }
    for (const deviceId of new Set(applied.filter((a) => a.outputs).map((a) => a.deviceId))) ctx.deviceEvents.publish({ deviceId, kind: 'outputs' });
    const stored = new Set(applied.map((a) => a.id));
    for (const r of reports)
      if (!stored.has(r.executionId)) ctx.log.debug('channel: result not applied', { deviceId: r.deviceId, executionId: r.executionId });
  });

  const storeOne = async (r: ResultReport): Promise<boolean> => {
    const { status, ...rest } = r;
    try {
      return await transition(r.deviceId, { ...rest, to: status });
    } catch (failure) {
      if (!isInputError(failure)) throw failure;
      return transition(r.deviceId, {
        executionId: r.executionId, deviceId: r.deviceId, at: r.at, exitCode: r.exitCode,
        to: r.status === 'succeeded' ? 'failed' : r.status,
        error: `the result could not be stored (${[r.error, 'its output or tails hold values the database refuses'].filter(Boolean).join('; ')})`,
      });
    }
  };

  /** Applies a transition reported by a device; false when it was refused by the state machine (and need not be retried). */
  const transition = async (deviceId: string | null, input: Parameters<typeof transitionExecution>[1]): Promise<boolean> => {
    try {
      await transitionExecution(ctx, input);
      return true;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // 409 is the usual repeat (a result re-sent after a reconnect); 403/404 mean a confused or hostile agent.
      ctx.log[error.status === 409 ? 'debug' : 'warn']('channel: report not applied', {
        deviceId, executionId: input.executionId, to: input.to, error: error.message,
      });
      return false;
    }
  };

  return {
    async progress(conn: AgentConnection, msg: AgentMessageOf<'status'>): Promise<void> {
      await writeProgress({ executionId: msg.executionId, deviceId: conn.deviceId!, status: msg.status, at: when(msg.at) });
    },

    async result(conn: AgentConnection, msg: AgentMessageOf<'result'>): Promise<void> {
      const detail = msg.error ?? null;
      const error = msg.reason && !detail?.startsWith(msg.reason) ? [msg.reason, detail].filter(Boolean).join(': ') : detail;
      await writeResult({
        executionId: msg.executionId, deviceId: conn.deviceId!, status: msg.status, at: when(msg.at), exitCode: exitCodeFor(msg.exitCode),
        error, stdoutTail: msg.stdoutTail, stderrTail: msg.stderrTail, outputs: msg.outputs,
      });
      conn.sent.delete(msg.executionId);
      options.sendTo(conn.deviceId!, { type: 'ack', executionId: msg.executionId });
    },

    /**
     * Finishes as failed, through the same batched store as real results, an execution the server would not send to
     * this agent (its channel version cannot carry the envelope's fields); nothing is sent, so nothing is acked.
     */
    async unsendable(conn: AgentConnection, executionId: string, error: string): Promise<void> {
      await writeResult({
        executionId, deviceId: conn.deviceId!, status: 'failed', at: ctx.now(), exitCode: null,
        error, stdoutTail: '', stderrTail: '', outputs: {},
      });
    },

    async refused(conn: AgentConnection, msg: AgentMessageOf<'refused'>): Promise<void> {
      conn.sent.delete(msg.executionId);
      ctx.log.warn('channel: the agent refused an envelope', { deviceId: conn.deviceId, executionId: msg.executionId, reason: msg.reason });
      // A refusal of something already finished (a replay, a duplicate delivery) changes nothing.
      await transition(conn.deviceId, {
        executionId: msg.executionId,
        deviceId: conn.deviceId!,
        to: 'failed',
        error: `refused: ${msg.reason}: ${msg.message}`,
      });
    },

    async facts(conn: AgentConnection, msg: AgentMessageOf<'facts'>): Promise<void> {
      // First, so a device sending facts in a loop costs a counter and nothing more.
      if (!factsQuota.take(conn.deviceId!, ctx.now().getTime())) {
        conn.send({ type: 'error', code: 'rate_limited', message: `facts are stored at most ${factsPerMinute} times a minute; this update was not applied` });
        return;
      }
      // Depth first: serializing a value nested thousands deep would overflow the stack.
      const problem = findUnstorable(msg.facts, ['facts']);
      if (problem) {
        conn.send({ type: 'error', code: 'protocol_error', message: `${problem.path} ${problem.problem}` });
        return;
      }
      if (Buffer.byteLength(JSON.stringify(msg.facts)) > maxFactsBytes) {
        conn.send({ type: 'error', code: 'payload_too_large', message: `facts are limited to ${maxFactsBytes} bytes of JSON` });
        return;
      }
      await writeFacts({ deviceId: conn.deviceId!, facts: msg.facts });
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
