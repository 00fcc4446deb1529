import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { canonicalJson } from '@fixpoint/protocol';
import type { Db, Tx } from '../../db';
import { rowsOf } from '../../db/rows';
import { auditCheckpoints, auditLog } from '../../db/schema';
import type { SigningKey } from '../../keys';
import { auditSignerOf, checkpointMessage, microTimeOf } from './checkpoint';

export interface AuditInput {
  actor: string;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

export const genesisHash = '0'.repeat(64);

/** The hash version new entries are written with. */
export const currentAuditVersion = 2;

/** An entry as hashed: `at` is the stored time as text at microseconds (see `microTime`). */
export interface HashedEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  version: number;
}

/**
 * The hash of one entry: it covers the previous hash, so changing or removing any entry breaks every later one.
 * Version 1 (entries written before checkpoints) hashed the time at milliseconds; version 2 hashes exactly what the
 * column stores, microseconds included, and the version itself.
 */
export function entryHash(entry: HashedEntry): string {
  const fields = { seq: entry.seq, actor: entry.actor, action: entry.action, target: entry.target, details: entry.details };
  const body =
    entry.version === 1
      ? canonicalJson({ ...fields, at: `${entry.at.slice(0, -4)}Z` })
      : canonicalJson({ ...fields, at: entry.at, v: entry.version });
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
 * in a statement of its own after taking the lock (then `appendAuditMany(…, { locked: true, head })`). The head is
 * the newer of the last entry and the last signed checkpoint, so removing the newest entries never makes their seqs
 * free again: the next entry links to the checkpoint and leaves a gap that `verify` reports.
 */
export const auditHeadJson = sql`(select json_build_object('seq', seq, 'hash', hash)::text from (
  (select seq, hash, 0 as pick from ${auditCheckpoints} order by seq desc limit 1)
  union all (select seq, hash, 1 from ${auditLog} order by seq desc limit 1)) h order by seq desc, pick limit 1)`;

export function parseAuditHead(json: unknown): AuditHead | null {
  if (typeof json !== 'string') return null;
  const head = JSON.parse(json) as { seq: number | string; hash: string };
  return { seq: Number(head.seq), hash: head.hash };
}

/** The chain's head as this connection sees it now; read without the lock, it may be stale by the time it is used. */
export async function readAuditHead(db: Db | Tx): Promise<AuditHead | null> {
  return parseAuditHead(rowsOf(await db.execute(sql`select ${auditHeadJson} as head`))[0]?.head);
}

/** Entries chained after a head, with the signed checkpoint of the last one: what an append stores. */
export interface AuditChain {
  entries: (HashedEntry & { hash: string })[];
  checkpoint: { seq: number; hash: string; at: string; keyId: string; signature: string };
}

/** Hashes `items` in order after `head` and signs the checkpoint of the last one (there must be at least one). */
export function chainAudit(signer: SigningKey, items: readonly { input: AuditInput; at: Date }[], head: AuditHead | null): AuditChain {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? genesisHash;
  const entries = items.map(({ input, at }) => {
    const entry: HashedEntry = {
      seq: ++seq,
      at: microTimeOf(at),
      actor: input.actor,
      action: input.action,
      target: input.target ?? null,
      // jsonb does not keep key order or undefined; store what canonical JSON would read back
      details: JSON.parse(canonicalJson(input.details ?? {})) as Record<string, unknown>,
      prevHash,
      version: currentAuditVersion,
    };
    prevHash = entryHash(entry);
    return { ...entry, hash: prevHash };
  });
  const top = entries.at(-1)!;
  const signature = signer.sign(checkpointMessage(top.seq, top.hash, top.at));
  return { entries, checkpoint: { seq: top.seq, hash: top.hash, at: top.at, keyId: signer.keyId, signature } };
}

/**
 * Two entries of a `with` list that store a chain: `audit_entries` and `audit_checkpoint_row`. With `after` (a
 * relation of the same statement, such as the lock's), both wait for it. One JSON parameter, so the statement text is
 * the same whatever the batch size (prepared once per connection).
 */
export function auditChainSql(chain: AuditChain, after?: SQL): SQL {
  const json = chain.entries.map((r) => ({ ...r, prev_hash: r.prevHash }));
  const { seq, hash, at, keyId, signature } = chain.checkpoint;
  const join = after ? sql`cross join ${after}` : sql``;
  return sql`audit_entries as (
      insert into ${auditLog} (seq, at, actor, action, target, details, prev_hash, hash, version)
      select r.seq, r.at, r.actor, r.action, r.target, r.details, r.prev_hash, r.hash, r.version
      from jsonb_to_recordset(${JSON.stringify(json)}::jsonb)
        as r(seq bigint, at timestamptz, actor text, action text, target text, details jsonb, prev_hash text, hash text, version smallint)
      ${join}
      order by r.seq),
    audit_checkpoint_row as (
      insert into ${auditCheckpoints} (seq, hash, at, key_id, signature)
      select ${seq}::bigint, ${hash}::text, ${at}::timestamptz, ${keyId}::text, ${signature}::text ${after ? sql`from ${after}` : sql``})`;
}

/** PostgreSQL's unique violation on the chain's seq: the head an append chained after was no longer the head. */
export function isStaleAuditHead(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; constraint_name?: string; cause?: unknown } | null;
  if (!e) return false;
  if (e.code === '23505') return ['audit_log_pkey', 'audit_checkpoint_pkey'].includes(e.constraint_name ?? e.constraint ?? '');
  return e.cause !== undefined && e.cause !== error && isStaleAuditHead(e.cause);
}

/**
 * Appends several entries in order with one look-up and one statement: what a batch of launches committed together
 * uses. The same statement stores one signed checkpoint of the batch's last entry. With `head` (read under the lock,
 * see `auditHeadJson`), the look-up is skipped.
 */
export async function appendAuditMany(
  tx: Db | Tx,
  items: readonly { input: AuditInput; at: Date }[],
  options: { locked?: boolean; head?: AuditHead | null } = {},
): Promise<void> {
  if (!items.length) return;
  const signer = auditSignerOf(tx);
  if (!options.locked) await tx.execute(auditLock);
  const head = options.head !== undefined ? options.head : await readAuditHead(tx);
  await tx.execute(sql`with ${auditChainSql(chainAudit(signer, items, head))} select 1`);
}
