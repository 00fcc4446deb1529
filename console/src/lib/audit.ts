import type { AuditVerifyT } from '../api/resources';
import { formatDateTime } from './format';

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
