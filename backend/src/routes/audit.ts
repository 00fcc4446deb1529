/** @module Handlers of the hash-chained audit log (admin only): read it and check that nobody altered it. */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { listAudit, listCheckpoints, verifyAudit } from '../services/audit';

const { audit } = api;

export const auditRoutes = [
  route(audit.list, async ({ ctx, query }) => listAudit(ctx.db, query)),
  route(audit.verify, async ({ ctx }) => verifyAudit(ctx.db, ctx.signingKey)),
  route(audit.checkpoints, async ({ ctx, query }) => listCheckpoints(ctx.db, ctx.signingKey, query)),
];
