/**
 * @module The approvals queue: action versions awaiting a four-eyes review, each with what changed since the last
 * approved version of the same action (settings, parameters, outputs, and a line diff of each platform's script).
 */
import { z } from 'zod';
import { ActionVersionSummary, OutputDecl, ParameterDecl } from './actions';
import { Id, Platform, Slug } from './common';
import type { DiffHunk } from './diff';

export const Change = z.enum(['added', 'removed', 'changed']);

const DiffLineSchema = z.object({
  kind: z.enum(['same', 'add', 'del']),
  text: z.string(),
  oldNo: z.number().int().nullable(),
  newNo: z.number().int().nullable(),
});
export const DiffHunkSchema = z.object({
  oldStart: z.number().int(),
  newStart: z.number().int(),
  lines: z.array(DiffLineSchema),
}) satisfies z.ZodType<DiffHunk>;

/** One platform's script against the baseline: its hunks with three lines of context, and the counts of lines. */
export const ScriptChange = z.object({
  platform: Platform,
  change: Change,
  /** The shell before and after (null where there was no script). */
  shellBefore: z.string().nullable(),
  shellAfter: z.string().nullable(),
  added: z.number().int(),
  deleted: z.number().int(),
  hunks: z.array(DiffHunkSchema),
});
export type ScriptChange = z.infer<typeof ScriptChange>;

/** A setting (run as, timeout, triggers, description…) whose value changed, both values as text. */
export const SettingChange = z.object({ field: z.string(), before: z.string(), after: z.string() });
export const ParameterChange = z.object({ name: z.string(), change: Change, before: ParameterDecl.nullable(), after: ParameterDecl.nullable() });
export const OutputChange = z.object({ name: z.string(), change: Change, before: OutputDecl.nullable(), after: OutputDecl.nullable() });
export type ParameterChange = z.infer<typeof ParameterChange>;
export type OutputChange = z.infer<typeof OutputChange>;

/** What changed from the baseline to a version; only what differs is listed (a new action lists everything as added). */
export const VersionChanges = z.object({
  settings: z.array(SettingChange),
  parameters: z.array(ParameterChange),
  outputs: z.array(OutputChange),
  scripts: z.array(ScriptChange),
});
export type VersionChanges = z.infer<typeof VersionChanges>;

export const ApprovalQueueItem = z.object({
  action: z.object({ id: Id, slug: Slug, name: z.string() }),
  version: ActionVersionSummary,
  /** The last approved version before it, which the changes are against; null when none was ever approved. */
  baseline: ActionVersionSummary.nullable(),
  /** Whether it is the action's latest version (an older one waiting is superseded, yet may still be approved). */
  latest: z.boolean(),
  changes: VersionChanges,
});
export type ApprovalQueueItem = z.infer<typeof ApprovalQueueItem>;
