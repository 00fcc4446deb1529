/** @module Signed checkpoints of the audit chain: who signs them, what is signed, and how times are written. */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../db';
import type { SigningKey } from '../../keys';

/**
 * Checkpoints are signed with the envelope key under their own domain prefix, so one signature can never pass for
 * another kind of message (envelopes and frames are JSON and start with `{`), and every instance sharing the
 * envelope key signs checkpoints the others can check.
 */
export const checkpointDomain = 'fixpoint-audit-checkpoint-v1';

/** The exact bytes a checkpoint's signature covers. */
export function checkpointMessage(seq: number, hash: string, at: string): string {
  return `${checkpointDomain}\n${seq}\n${hash}\n${at}`;
}

/** A stored time as text at the column's full precision (microseconds, UTC), the same on PGlite and PostgreSQL. */
export const microTime = (column: AnyPgColumn | SQL): SQL => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A JavaScript date in the form `microTime` reads back (its microseconds are zero). */
export const microTimeOf = (date: Date): string => date.toISOString().replace(/Z$/, '000Z');

// Keyed by the drizzle dialect object: each database handle has its own, and its transactions share it, so an
// append inside any transaction finds the key of the backend that opened the handle without every caller passing it.
const signers = new WeakMap<object, SigningKey>();
const handleOf = (db: Db | Tx): object => (db as unknown as { dialect: object }).dialect;

/** Makes audit appends on this database handle write checkpoints signed with `key`. */
export function registerAuditSigner(db: Db, key: SigningKey): void {
  signers.set(handleOf(db), key);
}

/** The key checkpoints on this handle are signed with; appends refuse to run without one. */
export function auditSignerOf(db: Db | Tx): SigningKey {
  const key = signers.get(handleOf(db));
  if (!key) throw new Error('the audit log has no checkpoint key for this database handle (registerAuditSigner)');
  return key;
}
