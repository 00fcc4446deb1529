import { asc, gt } from 'drizzle-orm';
import type { Db } from '../../db';
import { auditLog } from '../../db/schema';
import { entryHash, genesisHash } from './append';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenAt: number | null;
  reason: string | null;
}

/** Walks the whole chain in batches and reports the first entry that does not match. */
export async function verifyAudit(db: Db): Promise<VerifyResult> {
  let prevHash = genesisHash;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db.select().from(auditLog).where(gt(auditLog.seq, expectedSeq - 1)).orderBy(asc(auditLog.seq)).limit(1000);
    if (!rows.length) return { ok: true, checked, brokenAt: null, reason: null };
    for (const row of rows) {
      const broken = (reason: string) => ({ ok: false, checked, brokenAt: row.seq, reason });
      if (row.seq !== expectedSeq) return { ok: false, checked, brokenAt: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      if (row.prevHash !== prevHash) return broken(`entry ${row.seq} does not link to the previous entry`);
      if (entryHash(row) !== row.hash) return broken(`entry ${row.seq} was altered`);
      prevHash = row.hash;
      expectedSeq++;
      checked++;
    }
  }
}
