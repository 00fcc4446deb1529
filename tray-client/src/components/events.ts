/** @module The events the campaign components emit, typed in the global event map so listeners get their details. */
import type { ResponseState, SelfServiceState } from '@fixpoint/protocol';

/** A question's answer changed: choice ids or one number (as text) in `values`, or the text of a text question. */
export interface FixpointChangeDetail {
  questionId: string;
  values: string[];
  /** Set by text questions only. */
  text?: string;
}

/** The prompt ended: the full response, ready to send back for the request. */
export interface FixpointAnswerDetail {
  requestId: string | null;
  state: Extract<ResponseState, 'fully' | 'declined' | 'postponed'>;
  /** Only the questions on the path the answers take. */
  answers: Record<string, string[]>;
  freeText: Record<string, string>;
  user: string | null;
  language: string;
  respondedAt: string;
}

/** The user asked to run a self-service fix. */
export interface FixpointRunDetail {
  action: string;
}

/** Where a self-service run stands, as the window shows it: asked for, refused (with why), or the agent's state. */
export interface SelfServiceRun {
  action: string;
  state: 'requested' | 'refused' | SelfServiceState;
  message?: string | undefined;
  /** Why it was refused (`rate_limited`: a cooldown or the daily limit, said in the user's language). */
  code?: string | undefined;
  retryAfterSec?: number | undefined;
  exitCode?: number | null | undefined;
}

declare global {
  interface HTMLElementEventMap {
    'fixpoint-change': CustomEvent<FixpointChangeDetail>;
    'fixpoint-answer': CustomEvent<FixpointAnswerDetail>;
    'fixpoint-run': CustomEvent<FixpointRunDetail>;
    'fixpoint-refresh': CustomEvent<undefined>;
  }
}

/** Events cross the shadow boundary, so a host page can listen on the prompt or on a question. */
export function changeEvent(detail: FixpointChangeDetail): CustomEvent<FixpointChangeDetail> {
  return new CustomEvent('fixpoint-change', { detail, bubbles: true, composed: true });
}
