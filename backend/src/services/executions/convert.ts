import type { Execution, NeutralOutcome } from '@fixpoint/protocol';
import type { executions } from '../../db/schema';

type ExecutionRow = typeof executions.$inferSelect;

/** Shown instead of a secret parameter's value, before and after it is erased. */
const secretMask = '***';

/** The wire shape of an execution: secret parameters appear by name with a masked value. */
export function toExecution(row: ExecutionRow, joined: { deviceName: string; actionSlug: string; actionVersion: number; neutral: NeutralOutcome | null }): Execution {
  const masked = Object.fromEntries(Object.keys(row.secretParameters ?? {}).map((name) => [name, secretMask]));
  return {
    id: row.id,
    requestId: row.requestId,
    deviceId: row.deviceId,
    deviceName: joined.deviceName,
    actionId: row.actionId,
    actionSlug: joined.actionSlug,
    actionVersionId: row.actionVersionId,
    actionVersion: joined.actionVersion,
    status: row.status,
    trigger: row.trigger,
    triggerInfo: row.triggerInfo,
    requestedBy: row.requestedBy,
    parameters: { ...row.parameters, ...masked },
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    exitCode: row.exitCode,
    error: row.error,
    stdoutTail: row.stdoutTail,
    stderrTail: row.stderrTail,
    outputs: row.outputs,
    neutral: joined.neutral,
  };
}
