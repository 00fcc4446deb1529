/** @module What the tool page server puts in a tray window (self-service, activity) for its script, and what it streams. */
import type { ActivityEntry, SelfServiceFix } from '@fixpoint/protocol';
import type { SelfServiceRun } from '../components/events';

/** The id of the `<script type="application/json">` block of a tool window. */
export const toolDataId = 'fixpoint-tool';

export type ToolWindowKind = 'self-service' | 'activity';

export interface ToolPageData {
  kind: ToolWindowKind;
  language: string;
  /** Self-service: the fix chosen in the menu, if any. */
  selected?: string;
}

/** One server-sent event of a tool window (`GET events`). */
export type ToolUpdate =
  | { kind: 'fixes'; fixes: SelfServiceFix[] }
  | { kind: 'run'; run: SelfServiceRun }
  | { kind: 'entries'; entries: ActivityEntry[] };
