import { factKind, formatDateTime, formatValue, type AuditEntry } from '@fixpoint/protocol';
import type { AuditVerifyT } from '../api/resources';

const problems: Record<NonNullable<AuditVerifyT['problem']>, string> = {
  gap: 'entries are missing',
  unlinked: 'an entry does not link to the one before it',
  altered: 'an entry was altered',
  rewritten: 'entries differ from what a signed checkpoint vouched for',
  truncated: 'the newest entries were removed',
  bad_signature: "a checkpoint is not signed by this backend's key",
  unanchored: 'entries are not covered by a signed checkpoint',
};

/** The lines the audit screen shows for a chain check: the verdict first, then what it rests on. */
export function describeVerify(v: AuditVerifyT): string[] {
  const verdict = v.ok
    ? `The chain is intact: ${v.checked} entries checked.`
    : `The chain is broken at entry ${v.brokenAt ?? '?'}: ${v.problem ? problems[v.problem] : 'unknown problem'}. ${v.reason ?? ''} (${v.checked} entries checked.)`;
  const anchor = v.lastCheckpoint
    ? `${v.checkpoints} signed checkpoints match; the newest covers entry ${v.lastCheckpoint.seq} (${formatDateTime(v.lastCheckpoint.at)}).`
    : 'No signed checkpoint yet.';
  const lines = [verdict, `Newest entry: ${v.head ?? 'none'}. ${anchor}`];
  if (v.unanchored) lines.push(`${v.unanchored} entries written before checkpoints existed are not covered yet; the next write covers them.`);
  return lines;
}

/** One line of an entry's details compared with the entry before it about the same object. */
export interface DetailChange {
  key: string;
  kind: 'added' | 'changed' | 'same';
  before?: string;
  after?: string;
}

const detailText = (key: string, value: unknown, max = 160) => {
  const text = formatValue(value, factKind(key)) || '—';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/**
 * An entry's details as a diff against `previous`, the details of the last entry about the same object (or null for
 * the first one seen): changed keys show before and after, new ones are added. Keys an entry leaves out are not
 * taken as removed, since many entries list only what changed.
 */
export function diffDetails(details: Record<string, unknown>, previous: Record<string, unknown> | null): DetailChange[] {
  const out: DetailChange[] = [];
  for (const [key, value] of Object.entries(details)) {
    const after = detailText(key, value);
    if (!previous || !(key in previous)) out.push({ key, kind: 'added', after });
    else {
      const before = detailText(key, previous[key]);
      out.push(before === after ? { key, kind: 'same', after } : { key, kind: 'changed', before, after });
    }
  }
  return out;
}

/** Actions that change an object's state, whose details are best read against the entry before them. */
const changeVerbs = new Set(['update', 'enable', 'disable', 'publish', 'republish', 'retire', 'pause', 'resume', 'archive', 'rotate_secret']);

/**
 * For each entry (newest first), what its details are compared with: for a change (`*.update`, `*.disable`…) the
 * details of the next older entry about the same target in the list; null for events (launch, sign-in, create),
 * whose details are all new.
 */
export function previousDetails(entries: readonly AuditEntry[]): Map<number, Record<string, unknown> | null> {
  const result = new Map<number, Record<string, unknown> | null>();
  const olderFirst = [...entries].sort((a, b) => a.seq - b.seq);
  const last = new Map<string, Record<string, unknown>>();
  for (const e of olderFirst) {
    const isChange = changeVerbs.has(e.action.slice(e.action.lastIndexOf('.') + 1));
    result.set(e.seq, e.target && isChange ? (last.get(e.target) ?? null) : null);
    if (e.target) last.set(e.target, e.details);
  }
  return result;
}

const verbs: Record<string, string> = {
  create: 'created', update: 'changed', delete: 'deleted', import: 'imported', revoke: 'revoked', login: 'signed in as',
  logout: 'signed out', enroll: 'enrolled', launch: 'launched', cancel: 'canceled', pause: 'paused', resume: 'resumed',
  enable: 'enabled', disable: 'disabled', publish: 'published', retire: 'retired', rotate_secret: 'rotated the secret of',
  seed: 'created', trigger: 'triggered', test: 'sent a test to', archive: 'archived', approve: 'approved', redeliver: 'redelivered',
  password_change: 'changed the password of', password_reset: 'reset the password of', client_token: 'got a token for',
};

/** The verb of an action in words: `role.create` → "created", `auth.login` → "signed in as"; unknown ones as written. */
export function actionVerb(action: string): string {
  const last = action.slice(action.lastIndexOf('.') + 1);
  return verbs[last] ?? action;
}

/** Object kinds the audit log's filter offers, as targets name them. */
export const auditObjectKinds = [
  'action', 'campaign', 'campaign-schedule', 'client', 'detection', 'device', 'enrollment-token', 'execution', 'role', 'schedule', 'token', 'user', 'webhook',
] as const;

/** A `datetime-local` input's value (local time, no zone) as an ISO time, or undefined when empty or invalid. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
