import { and, asc, gt, lte } from 'drizzle-orm';
import type { AuditProblem, AuditVerifyResult } from '@fixpoint/protocol';
import type { Db, Tx } from '../../db';
import { auditCheckpoints, auditLog } from '../../db/schema';
import type { SigningKey } from '../../keys';
import { currentAuditVersion, entryHash, genesisHash } from './append';
import { checkpointMessage, microTime } from './checkpoint';

const page = 1000;

type Checkpoint = { seq: number; hash: string; at: string; keyId: string; signature: string };

const readEntries = (tx: Tx, after: number) =>
  tx
    .select({ seq: auditLog.seq, at: microTime(auditLog.at).mapWith(String), actor: auditLog.actor, action: auditLog.action, target: auditLog.target,
      details: auditLog.details, prevHash: auditLog.prevHash, hash: auditLog.hash, version: auditLog.version })
    .from(auditLog).where(gt(auditLog.seq, after)).orderBy(asc(auditLog.seq)).limit(page);

const readCheckpoints = (tx: Tx, after: number, upTo: number | null) =>
  tx
    .select({ seq: auditCheckpoints.seq, hash: auditCheckpoints.hash, at: microTime(auditCheckpoints.at).mapWith(String), keyId: auditCheckpoints.keyId,
      signature: auditCheckpoints.signature })
    .from(auditCheckpoints)
    .where(upTo === null ? gt(auditCheckpoints.seq, after) : and(gt(auditCheckpoints.seq, after), lte(auditCheckpoints.seq, upTo)))
    .orderBy(asc(auditCheckpoints.seq));

/**
 * Walks the whole chain and its signed checkpoints, in one snapshot, and reports the first damage: a missing entry
 * (gap), an entry that does not link or hash (unlinked, altered), entries that differ from what a checkpoint signed
 * (rewritten, even with every later hash recomputed), a head below the newest checkpoint (truncated), a checkpoint
 * this backend did not sign, or new entries no checkpoint covers.
 */
export async function verifyAudit(db: Db, key: SigningKey): Promise<AuditVerifyResult> {
  return db.transaction((tx) => walk(tx, key), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

async function walk(tx: Tx, key: SigningKey): Promise<AuditVerifyResult> {
  let prevHash = genesisHash;
  let head = 0;
  let checked = 0;
  let checkpoints = 0;
  let anchoredTo = 0; // the newest checkpoint that matched the chain
  let lastCheckpoint: Checkpoint | null = null;
  let sawCurrent = false;
  let legacyTail = 0; // old-format entries after the newest checkpoint
  const result = (problem: AuditProblem | null, brokenAt: number | null, reason: string | null): AuditVerifyResult => ({
    ok: problem === null, checked, brokenAt, reason, problem, head: head || null, checkpoints,
    lastCheckpoint: lastCheckpoint && { seq: lastCheckpoint.seq, at: lastCheckpoint.at }, unanchored: legacyTail,
  });
  const badSignature = (cp: Checkpoint) =>
    cp.keyId !== key.keyId || !key.verify(checkpointMessage(cp.seq, cp.hash, cp.at), cp.signature)
      ? result('bad_signature', cp.seq, `the checkpoint at entry ${cp.seq} is not signed by this backend's key`)
      : null;
  for (;;) {
    const rows = await readEntries(tx, head);
    if (!rows.length) break;
    const marks = await readCheckpoints(tx, head, rows.at(-1)!.seq);
    let next = 0;
    for (const row of rows) {
      const expected = head + 1;
      if (row.seq !== expected) return result('gap', expected, `entries ${expected}–${row.seq - 1} are missing`);
      const cp = marks[next]?.seq === row.seq ? marks[next++]! : null;
      if (cp) {
        const bad = badSignature(cp);
        if (bad) return bad;
      }
      if (row.version === currentAuditVersion) sawCurrent = true;
      else if (row.version !== 1 || sawCurrent) return result('altered', row.seq, `entry ${row.seq} claims hash format ${row.version} after newer entries`);
      else if (!row.at.endsWith('000Z')) return result('altered', row.seq, `entry ${row.seq} was altered: its time has microseconds its format never wrote`);
      if (row.prevHash !== prevHash) return result('unlinked', row.seq, `entry ${row.seq} does not link to the previous entry`);
      if (entryHash(row) !== row.hash) return result('altered', row.seq, `entry ${row.seq} was altered`);
      if (cp) {
        if (cp.hash !== row.hash)
          return result('rewritten', anchoredTo + 1, `entries ${anchoredTo + 1}–${cp.seq} differ from what the checkpoint at ${cp.at} signed`);
        anchoredTo = cp.seq;
        lastCheckpoint = cp;
        checkpoints++;
        legacyTail = 0;
      } else if (row.version === 1) legacyTail++;
      prevHash = row.hash;
      head = row.seq;
      checked++;
    }
  }
  for (const cp of await readCheckpoints(tx, head, null)) {
    const bad = badSignature(cp);
    if (bad) return bad;
    lastCheckpoint = cp;
    checkpoints++;
    return result('truncated', head + 1, `entries ${head + 1}–${cp.seq} were removed: a signed checkpoint vouches for entry ${cp.seq}`);
  }
  if (head > anchoredTo + legacyTail)
    return result('unanchored', anchoredTo + 1, `entries ${anchoredTo + 1}–${head} are not covered by a signed checkpoint`);
  return result(null, null, null);
}
