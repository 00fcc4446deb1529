import { z } from 'zod';
import { Timestamp } from './common';

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: Timestamp,
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** What kind of damage a verification found. */
export const AuditProblem = z.enum(['gap', 'unlinked', 'altered', 'rewritten', 'truncated', 'bad_signature', 'unanchored']);
export type AuditProblem = z.infer<typeof AuditProblem>;

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** The first entry that is missing, altered or not vouched for, when the chain is broken. */
  brokenAt: z.number().int().nullable(),
  reason: z.string().nullable(),
  problem: AuditProblem.nullable(),
  /** The newest entry's seq, or null while the log is empty. */
  head: z.number().int().nullable(),
  /** Signed checkpoints checked against the chain. */
  checkpoints: z.number().int(),
  /** The newest signed checkpoint found on the server. */
  lastCheckpoint: z.object({ seq: z.number().int(), at: z.string() }).nullable(),
  /** Entries written before checkpoints existed that no checkpoint covers yet (the next append covers them). */
  unanchored: z.number().int(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;

/**
 * A signed statement that the chain's entry `seq` had hash `hash` at time `at` (microseconds, UTC). The signature is
 * Ed25519 over `fixpoint-audit-checkpoint-v1\n<seq>\n<hash>\n<at>`.
 */
export const AuditCheckpoint = z.object({
  seq: z.number().int(),
  hash: z.string(),
  at: z.string(),
  keyId: z.string(),
  signature: z.string(),
});
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;

export const AuditCheckpointList = z.object({
  algorithm: z.literal('ed25519'),
  /** Base64 SPKI DER of the key that signs checkpoints. */
  publicKey: z.string(),
  keyId: z.string(),
  /** How a checkpoint's signed message is formed. */
  message: z.string(),
  items: z.array(AuditCheckpoint),
  /** Pass as `after` to get the next page, or null at the end. */
  next: z.number().int().nullable(),
});
export type AuditCheckpointList = z.infer<typeof AuditCheckpointList>;
