import { asc, gt } from 'drizzle-orm';
import type { AuditCheckpointList } from '@fixpoint/protocol';
import type { Db } from '../../db';
import { auditCheckpoints } from '../../db/schema';
import type { SigningKey } from '../../keys';
import { checkpointDomain, microTime } from './checkpoint';

export interface ListCheckpointsInput {
  /** Only checkpoints after this entry seq. */
  after: number;
  limit: number;
}

/** Signed checkpoints, oldest first, with the public key that checks them: what to copy off the server. */
export async function listCheckpoints(db: Db, key: SigningKey, input: ListCheckpointsInput): Promise<AuditCheckpointList> {
  const rows = await db
    .select({ seq: auditCheckpoints.seq, hash: auditCheckpoints.hash, at: microTime(auditCheckpoints.at).mapWith(String), keyId: auditCheckpoints.keyId,
      signature: auditCheckpoints.signature })
    .from(auditCheckpoints)
    .where(gt(auditCheckpoints.seq, input.after))
    .orderBy(asc(auditCheckpoints.seq))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return {
    algorithm: 'ed25519',
    publicKey: key.publicKeyDer,
    keyId: key.keyId,
    message: `${checkpointDomain}\\n<seq>\\n<hash>\\n<at>`,
    items,
    next: rows.length > input.limit ? items.at(-1)!.seq : null,
  };
}
