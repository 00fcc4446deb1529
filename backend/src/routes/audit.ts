/** @module The hash-chained audit log (admin only): read it and check that nobody altered it. */
import { z } from 'zod';
import { AuditEntry, AuditVerifyResult, page, PageQuery } from '@fixpoint/protocol';
import { route } from '../http/route';
import { listAudit, verifyAudit } from '../services/audit';

const AuditQuery = PageQuery.extend({
  /** Exact action, or a prefix ending in `*`, e.g. `auth.*`. */
  action: z.string().min(1).max(100).optional(),
  /** Exact actor, e.g. `user:ana@example.com`. */
  actor: z.string().min(1).max(300).optional(),
});

export const auditRoutes = [
  route({
    method: 'get',
    path: '/audit',
    summary: 'Lists audit entries, newest first; filter by `action` (exact, or a prefix ending in `*`) and `actor`.',
    tag: 'audit',
    auth: 'admin',
    query: AuditQuery,
    response: page(AuditEntry),
    handler: async ({ ctx, query }) => listAudit(ctx.db, query),
  }),
  route({
    method: 'get',
    path: '/audit/verify',
    summary: 'Walks the whole hash chain and reports the first entry that was altered, removed or unlinked.',
    tag: 'audit',
    auth: 'admin',
    response: AuditVerifyResult,
    handler: async ({ ctx }) => verifyAudit(ctx.db),
  }),
];
