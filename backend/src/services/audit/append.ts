import { createHash } from 'node:crypto';
import { desc, sql } from 'drizzle-orm';
import { canonicalJson } from '@fixpoint/protocol';
import type { Db, Tx } from '../../db';
import { auditLog } from '../../db/schema';

export interface AuditInput {
  actor: string;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

export const genesisHash = '0'.repeat(64);

/** The hash of one entry: it covers the previous hash, so changing or removing any entry breaks every later one. */
export function entryHash(entry: { seq: number; at: Date; actor: string; action: string; target: string | null; details: Record<string, unknown>; prevHash: string }): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    details: entry.details,
  });
  return createHash('sha256').update(entry.prevHash).update(body).digest('hex');
}

/**
 * Appends one entry inside the caller's transaction. An advisory lock serializes appenders across connections and
 * backend instances, so the chain never forks.
 */
export async function appendAudit(tx: Db | Tx, input: AuditInput, at = new Date()): Promise<void> {
  await appendAuditMany(tx, [{ input, at }]);
}

/**
 * Takes the audit chain's lock, held until the transaction ends. A writer may select it in one of its own statements
 * (then `appendAuditMany(…, { locked: true })`), as long as that statement comes before the append's look-up, so the
 * look-up's snapshot is taken with the lock held.
 */
export const auditLock = sql`select pg_advisory_xact_lock(7305561)`;

/** The chain's newest entry (seq and hash), or null while the log is empty. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * A scalar subquery giving the chain's head as JSON text (`{"seq":…,"hash":…}`, or NULL), for a writer that reads it
 * in a statement of its own after taking the lock (then `appendAuditMany(…, { locked: true, head })`).
 */
export const auditHeadJson = sql`(select json_build_object('seq', seq, 'hash', hash)::text from ${auditLog} order by seq desc limit 1)`;

export function parseAuditHead(json: unknown): AuditHead | null {
  if (typeof json !== 'string') return null;
  const head = JSON.parse(json) as { seq: number | string; hash: string };
  return { seq: Number(head.seq), hash: head.hash };
}

/**
 * Appends several entries in order with one look-up and one insert: what a batch of launches committed together uses.
 * With `head` (read under the lock, see `auditHeadJson`), the look-up is skipped.
 */
export async function appendAuditMany(
  tx: Db | Tx,
  items: readonly { input: AuditInput; at: Date }[],
  options: { locked?: boolean; head?: AuditHead | null } = {},
): Promise<void> {
  if (!items.length) return;
  if (!options.locked) await tx.execute(auditLock);
  const last = options.head !== undefined ? options.head : (await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0];
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? genesisHash;
  const rows = items.map(({ input, at }) => {
    const entry = {
      seq: ++seq,
      at: new Date(Math.floor(at.getTime())),
      actor: input.actor,
      action: input.action,
      target: input.target ?? null,
      // jsonb does not keep key order or undefined; store what canonical JSON would read back
      details: JSON.parse(canonicalJson(input.details ?? {})) as Record<string, unknown>,
      prevHash,
    };
    prevHash = entryHash(entry);
    return { ...entry, hash: prevHash };
  });
  // One JSON parameter, so the statement text is the same whatever the batch size (prepared once per connection).
  const json = rows.map((r) => ({ seq: r.seq, at: r.at.toISOString(), actor: r.actor, action: r.action, target: r.target, details: r.details, prev_hash: r.prevHash, hash: r.hash }));
  await tx.execute(sql`
    insert into ${auditLog} (seq, at, actor, action, target, details, prev_hash, hash)
    select seq, at, actor, action, target, details, prev_hash, hash
    from jsonb_to_recordset(${JSON.stringify(json)}::jsonb)
      as r(seq bigint, at timestamptz, actor text, action text, target text, details jsonb, prev_hash text, hash text)
    order by seq`);
}
