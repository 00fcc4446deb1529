/** @module How the console names the way a detection rule's run ended: neutral self-help outcomes apart from failures. */
import type { DetectionEvent, NeutralOutcome } from '@fixpoint/protocol';

export const neutralLabels: Record<NeutralOutcome, string> = {
  declined: 'Declined by the user',
  postponed: 'Postponed by the user',
  timeout: 'No answer in time',
  no_user: 'Nobody logged in',
};

const statusLabels: Record<DetectionEvent['status'], string> = {
  launching: 'Launching',
  launched: 'In flight',
  succeeded: 'Succeeded',
  failed: 'Failed',
  timed_out: 'Timed out',
  canceled: 'Canceled',
  expired: 'Expired',
  launch_failed: 'Could not launch',
};

/** The outcome of one run, and whether it is neutral (neither success nor failure). */
export function runOutcome(event: Pick<DetectionEvent, 'status' | 'neutral'>): { label: string; neutral: boolean } {
  if (event.neutral) return { label: `${neutralLabels[event.neutral]} (neutral)`, neutral: true };
  return { label: statusLabels[event.status], neutral: false };
}
