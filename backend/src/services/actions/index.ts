/** @module Remote actions: the versioned library of scripts with typed parameters and outputs. */
export { approveVersion, rejectVersion, type ReviewVersionInput } from './approve';
export { listApprovals, type ListApprovalsInput } from './approvals';
export { archiveAction, type ArchiveActionInput } from './archive';
export {
  toAction,
  toActionVersion,
  toActionWithVersion,
  toVersionSummary,
  type ActionRow,
  type ActionVersionRow,
} from './convert';
export { createAction, type CreateActionInput } from './create';
export { exportAction, type ExportActionInput, type ExportedAction } from './export';
export { getAction, getActionVersion, type GetActionInput, type GetActionVersionInput } from './get';
export { hashScripts } from './hash';
export { importAction, type ImportActionInput } from './import';
export { getActionVersionForLaunch } from './launch';
export { listActions, type ListActionsInput } from './list';
export { updateAction, type UpdateActionInput, type UpdateActionResult } from './update';
export { listActionVersions, type ListActionVersionsInput } from './versions';
export { actionVisibility, isVisible, type ActionVisibility } from './visibility';
