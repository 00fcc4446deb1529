/**
 * @module What the backend does with an authenticated agent's reports. Progress (`delivered`/`running`) and facts
 * arriving in the same turn of the event loop are written together; results and refusals go through the state
 * machine one by one. Every result is acknowledged once it is stored, or once it is clear it never will be
 * (a repeat, a finished execution, another device's execution), so the agent stops re-sending it.
 */
import type { ServerMessage } from '@fixpoint/protocol';
import type { AppContext } from '../context';
import { AppError, isInputError } from '../errors';
import { findUnstorable } from '../input-guard';
import { storeFacts } from '../services/devices';
import { executionStatusesOf, recordProgress, transitionExecution, type ProgressReport } from '../services/executions';
import type { AgentConnection, AgentMessageOf } from './connection';

/** Facts larger than this (as JSON) are refused: they are a snapshot of a machine, not a data dump. */
export const maxFactsBytes = 256 * 1024;

/** Collects items for one turn of the event loop and runs them as one batch; each caller waits for its batch. */
function batcher<T>(run: (items: T[]) => Promise<void>): (item: T) => Promise<void> {
  let items: T[] = [];
  let done: Promise<void> | null = null;
  return (item) => {
    items.push(item);
    if (!done)
      done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        const batch = items;
        items = [];
        done = null;
        return run(batch);
      });
    return done;
  };
}

/** Windows exit codes are unsigned 32-bit; the column is a signed integer, as Windows tools show them. */
export function exitCodeFor(code: number | null): number | null {
  if (code === null) return null;
  if (code >= -(2 ** 31) && code < 2 ** 31) return code;
  return code >= 0 && code < 2 ** 32 ? code | 0 : null;
}

export interface ReportOptions {
  /** Sends a message to a device connected to this instance. */
  sendTo(deviceId: string, message: ServerMessage): void;
}

export function createReports(ctx: AppContext, options: ReportOptions) {
  // The agent's clock stamps its reports; one running ahead must not finish executions in the future.
  const when = (iso: string) => {
    const t = Date.parse(iso);
    const now = ctx.now();
    return Number.isNaN(t) || t > now.getTime() ? now : new Date(t);
  };

  const writeProgress = batcher<ProgressReport>(async (reports) => {
    const { ignored } = await recordProgress(ctx, reports);
    // An agent working on something canceled meanwhile (it was offline when the cancel was sent) is told again.
    const byDevice = new Map<string, string[]>();
    for (const r of ignored) byDevice.set(r.deviceId, [...(byDevice.get(r.deviceId) ?? []), r.executionId]);
    for (const [deviceId, ids] of byDevice) {
      const statuses = await executionStatusesOf(ctx, deviceId, ids);
      for (const [executionId, status] of statuses) if (status === 'canceled') options.sendTo(deviceId, { type: 'cancel', executionId });
    }
  });

  const writeFacts = batcher<{ deviceId: string; facts: Record<string, unknown> }>(async (reports) => {
    const changed = await storeFacts(ctx, reports);
    for (const deviceId of changed) ctx.deviceEvents.publish({ deviceId, kind: 'facts' });
  });

  /** Applies a transition reported by a device; false when it was refused by the state machine (and need not be retried). */
  const transition = async (conn: AgentConnection, input: Parameters<typeof transitionExecution>[1]): Promise<boolean> => {
    try {
      await transitionExecution(ctx, input);
      return true;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // 409 is the usual repeat (a result re-sent after a reconnect); 403/404 mean a confused or hostile agent.
      ctx.log[error.status === 409 ? 'debug' : 'warn']('channel: report not applied', {
        deviceId: conn.deviceId, executionId: input.executionId, to: input.to, error: error.message,
      });
      return false;
    }
  };

  return {
    async progress(conn: AgentConnection, msg: AgentMessageOf<'status'>): Promise<void> {
      await writeProgress({ executionId: msg.executionId, deviceId: conn.deviceId!, status: msg.status, at: when(msg.at) });
    },

    async result(conn: AgentConnection, msg: AgentMessageOf<'result'>): Promise<void> {
      const deviceId = conn.deviceId!;
      const detail = msg.error ?? null;
      const error = msg.reason && !detail?.startsWith(msg.reason) ? [msg.reason, detail].filter(Boolean).join(': ') : detail;
      const base = { executionId: msg.executionId, deviceId, to: msg.status, at: when(msg.at), exitCode: exitCodeFor(msg.exitCode) };
      const hasOutputs = Object.keys(msg.outputs).length > 0;
      let stored: boolean;
      try {
        stored = await transition(conn, { ...base, error, stdoutTail: msg.stdoutTail, stderrTail: msg.stderrTail, outputs: msg.outputs });
      } catch (failure) {
        if (!isInputError(failure)) throw failure;
        // Something in it the database cannot hold: keep the outcome, say why the rest is missing.
        stored = await transition(conn, {
          ...base,
          to: msg.status === 'succeeded' ? 'failed' : msg.status,
          error: `the result could not be stored (${[error, 'its output or tails hold values the database refuses'].filter(Boolean).join('; ')})`,
        });
      }
      conn.sent.delete(msg.executionId);
      if (stored && hasOutputs) ctx.deviceEvents.publish({ deviceId, kind: 'outputs' });
      conn.send({ type: 'ack', executionId: msg.executionId });
    },

    async refused(conn: AgentConnection, msg: AgentMessageOf<'refused'>): Promise<void> {
      conn.sent.delete(msg.executionId);
      ctx.log.warn('channel: the agent refused an envelope', { deviceId: conn.deviceId, executionId: msg.executionId, reason: msg.reason });
      // A refusal of something already finished (a replay, a duplicate delivery) changes nothing.
      await transition(conn, {
        executionId: msg.executionId,
        deviceId: conn.deviceId!,
        to: 'failed',
        error: `refused: ${msg.reason}: ${msg.message}`,
      });
    },

    async facts(conn: AgentConnection, msg: AgentMessageOf<'facts'>): Promise<void> {
      const size = Buffer.byteLength(JSON.stringify(msg.facts));
      if (size > maxFactsBytes) {
        conn.send({ type: 'error', code: 'payload_too_large', message: `facts are limited to ${maxFactsBytes} bytes of JSON` });
        return;
      }
      const problem = findUnstorable(msg.facts, ['facts']);
      if (problem) {
        conn.send({ type: 'error', code: 'protocol_error', message: `${problem.path} ${problem.problem}` });
        return;
      }
      await writeFacts({ deviceId: conn.deviceId!, facts: msg.facts });
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
