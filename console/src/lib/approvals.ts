/** @module What the approvals screen says about a waiting version: its declarations' changes as lines, and the review it allows. */
import type { ApprovalQueueItem, Me, OutputChange, ParameterChange } from '@fixpoint/protocol';
import { hasPermission } from './access';
import { describeOutput, describeParameter } from './version-text';

export interface ChangeLine {
  change: 'added' | 'removed' | 'changed';
  /** The declaration as it was (removed, changed) and as it is (added, changed). */
  before: string | null;
  after: string | null;
}

/** How each approval state of a version reads. */
export const approvalLabels = { unapproved: 'Awaiting approval', approved: 'Approved', rejected: 'Rejected' } as const;

/** Parameter and output changes as the same lines the version history diffs. */
export function declarationLines(changes: Pick<ApprovalQueueItem['changes'], 'parameters' | 'outputs'>): ChangeLine[] {
  const line = <T,>(c: { change: ChangeLine['change']; before: T | null; after: T | null }, text: (d: T) => string): ChangeLine => ({
    change: c.change,
    before: c.before ? text(c.before) : null,
    after: c.after ? text(c.after) : null,
  });
  return [
    ...changes.parameters.map((c: ParameterChange) => line(c, describeParameter)),
    ...changes.outputs.map((c: OutputChange) => line(c, describeOutput)),
  ];
}

/**
 * What the caller may do with a waiting version: review it, or only look, and why. Authors never review their own
 * (the four-eyes rule the backend enforces too).
 */
export function reviewOf(me: Pick<Me, 'kind' | 'email' | 'permissions'>, item: Pick<ApprovalQueueItem, 'version'>): { may: boolean; why: string | null } {
  const mine = me.kind === 'user' && item.version.createdBy === `user:${me.email}`;
  if (mine) return { may: false, why: 'You wrote this version: under the four-eyes rule someone else must approve or reject it.' };
  if (!hasPermission(me, 'actions:approve')) return { may: false, why: 'Reviewing needs the actions:approve permission.' };
  return { may: true, why: null };
}
