/** @module The hash-chained audit log (admin only): read it and check that nobody altered it. */
import { z } from 'zod';
import { AuditCheckpointList, AuditEntry, AuditVerifyResult } from '../audit';
import { PageQuery, Timestamp, page } from '../common';
import { endpoint } from './endpoint';

const tag = 'Audit';

export const AuditQuery = PageQuery.extend({
  /** Exact action, or a prefix ending in `*`, e.g. `auth.*`. */
  action: z.string().min(1).max(100).optional(),
  /** Exact actor, e.g. `user:ana@example.com`. */
  actor: z.string().min(1).max(300).optional(),
  /** Exact object, e.g. `schedule:3f2a…` or `role:support`. */
  target: z.string().min(1).max(300).optional(),
  /** The kind of object: entries whose target starts with `<kind>:`, e.g. `schedule`, `user`, `enrollment-token`. */
  targetType: z.string().regex(/^[a-z][a-z_-]{0,39}$/, 'a lower-case object kind such as schedule or user').optional(),
  /** Entries at or after this time (ISO 8601 with a time zone). */
  from: Timestamp.optional(),
  /** Entries before this time (ISO 8601 with a time zone). */
  to: Timestamp.optional(),
});

export const AuditCheckpointQuery = z.object({
  /** Only checkpoints after this entry seq (the `next` of the previous page). */
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const audit = {
  list: endpoint({
    method: 'get',
    path: '/audit',
    summary:
      'Lists audit entries, newest first; filter by `action` (exact, or a prefix ending in `*`), `actor`, `target` or its kind (`targetType`), and a time range (`from`, `to`).',
    tag,
    auth: 'admin',
    query: AuditQuery,
    response: page(AuditEntry),
  }),
  verify: endpoint({
    method: 'get',
    path: '/audit/verify',
    summary:
      'Walks the whole hash chain and its signed checkpoints and reports the first entry that is missing, altered, rewritten, removed from the end or not covered by a checkpoint.',
    tag,
    auth: 'admin',
    response: AuditVerifyResult,
  }),
  checkpoints: endpoint({
    method: 'get',
    path: '/audit/checkpoints',
    summary:
      'Lists the signed checkpoints of the chain, oldest first, with the Ed25519 public key that checks them, so they can be kept off the server.',
    tag,
    auth: 'admin',
    query: AuditCheckpointQuery,
    response: AuditCheckpointList,
  }),
};
