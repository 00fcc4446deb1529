import type { ExecutionStatus } from '@fixpoint/protocol';
import { statusTone } from '@fixpoint/launcher';

export interface StatusBadgeProps {
  status: ExecutionStatus;
}

/** An execution status as a coloured word; the colour repeats the word, never replaces it. */
export function StatusBadge({ status }: StatusBadgeProps) {
  return <span class={`status-badge tone-${statusTone(status)}`}>{status.replace('_', ' ')}</span>;
}
