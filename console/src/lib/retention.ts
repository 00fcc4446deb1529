/** @module How long the server keeps history, in a sentence for the executions screen. */
import type { RetentionSettings } from '@fixpoint/protocol';

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

/** @example describeRetention({ executionDays: 90, detectionDays: 90 }) // "Finished executions and detection runs are kept for 90 days." */
export function describeRetention({ executionDays, detectionDays }: RetentionSettings): string {
  if (executionDays === 0 && detectionDays === 0) return 'Finished executions and detection runs are kept forever.';
  if (executionDays === detectionDays) return `Finished executions and detection runs are kept for ${days(executionDays)}.`;
  const executions = executionDays === 0 ? 'kept forever' : `kept for ${days(executionDays)}`;
  const detection = detectionDays === 0 ? 'forever' : days(detectionDays);
  return `Finished executions are ${executions}, detection runs ${detection}.`;
}
