/**
 * @module Four-eyes approval of action versions. A version is `unapproved` until someone other than its author
 * approves it; the approval signs each platform script with the organization's publisher key, which agents that
 * require publisher signatures pin. A rejection keeps the version unrunnable except by hand, with its reason.
 */
import { and, eq } from 'drizzle-orm';
import { publisherSigningText, type ActionVersion, type Platform } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Tx } from '../../db';
import { actionVersions } from '../../db/schema';
import { conflict, forbidden } from '../../errors';
import { loadOrCreatePublisherKey } from '../../keys';
import { appendAudit } from '../audit';
import { rememberVersion } from '../executions/version-cache';
import { toActionVersion, type ActionRow, type ActionVersionRow } from './convert';
import { requireActionRow, requireVersionRow } from './lookup';
import type { ActionVisibility } from './visibility';

export interface ReviewVersionInput {
  /** Audit label of the reviewer, e.g. `user:ana@example.com`. */
  actor: string;
  idOrSlug: string;
  version: number;
  visibility: ActionVisibility;
}

/** platform → base64 publisher signature over the canonical text of slug, version, platform and script hash. */
function signVersion(ctx: AppContext, slug: string, version: Pick<ActionVersionRow, 'version' | 'scriptHashes'>): Record<string, string> {
  const key = loadOrCreatePublisherKey(ctx.config.dataDir);
  const signatures: Record<string, string> = {};
  for (const [platform, sha] of Object.entries(version.scriptHashes))
    signatures[platform] = key.sign(publisherSigningText({ actionSlug: slug, actionVersion: version.version, platform: platform as Platform, scriptSha256: sha }));
  return signatures;
}

/**
 * Marks a just-written version approved by `actor` and signs it, in the writer's transaction: what an admin's library
 * import does (the import is the admin's review of a file from outside).
 */
export async function approveWritten(tx: Tx, ctx: AppContext, action: ActionRow, row: ActionVersionRow, actor: string): Promise<ActionVersionRow> {
  const [updated] = await tx
    .update(actionVersions)
    .set({ approval: 'approved', approvedBy: actor, approvedAt: ctx.now(), publisherSignatures: signVersion(ctx, action.slug, row) })
    .where(eq(actionVersions.id, row.id))
    .returning();
  return updated!;
}

async function review(ctx: AppContext, input: ReviewVersionInput, decision: 'approve' | 'reject', reason?: string): Promise<ActionVersion> {
  const updated = await ctx.db.transaction(async (tx) => {
    const action = await requireActionRow(tx, input.idOrSlug, { visibility: input.visibility });
    const row = await requireVersionRow(tx, action, input.version);
    if (row.createdBy === input.actor)
      throw forbidden(`four-eyes rule: version ${row.version} of ${action.slug} was written by you; someone else must ${decision} it`);
    // Versions approved by the migration carry no signatures yet: approving them again signs them.
    const signed = Object.keys(row.publisherSignatures).length > 0;
    if (row.approval === 'approved' && (decision === 'reject' || signed))
      throw conflict(`version ${row.version} of ${action.slug} is already approved (by ${row.approvedBy})`);
    if (row.approval === 'rejected')
      throw conflict(`version ${row.version} of ${action.slug} was rejected (by ${row.approvedBy}); save a new version instead`);
    const set =
      decision === 'approve'
        ? { approval: 'approved' as const, approvedBy: input.actor, approvedAt: ctx.now(), publisherSignatures: signVersion(ctx, action.slug, row) }
        : { approval: 'rejected' as const, approvedBy: input.actor, approvedAt: ctx.now(), rejectionReason: reason ?? null };
    // The state condition settles two reviewers at once: the second finds nothing to update.
    const [next] = await tx
      .update(actionVersions)
      .set(set)
      .where(and(eq(actionVersions.id, row.id), eq(actionVersions.approval, row.approval)))
      .returning();
    if (!next) throw conflict(`version ${row.version} of ${action.slug} was reviewed meanwhile; reload it`);
    await appendAudit(
      tx,
      {
        actor: input.actor,
        action: decision === 'approve' ? 'action.approve' : 'action.reject',
        target: `action:${action.slug}`,
        details:
          decision === 'approve'
            ? { version: row.version, author: row.createdBy, scriptHashes: row.scriptHashes }
            : { version: row.version, author: row.createdBy, reason },
      },
      ctx.now(),
    );
    return next;
  });
  // Envelopes are built from cached version rows: the approved row (with its signatures) replaces the old one.
  rememberVersion(ctx.db, updated);
  return toActionVersion(updated);
}

/** Approves a version written by someone else, signing its scripts. 403 for its author, 409 when already reviewed. */
export function approveVersion(ctx: AppContext, input: ReviewVersionInput): Promise<ActionVersion> {
  return review(ctx, input, 'approve');
}

/** Rejects a version written by someone else, with the reason. */
export function rejectVersion(ctx: AppContext, input: ReviewVersionInput & { reason: string }): Promise<ActionVersion> {
  return review(ctx, input, 'reject', input.reason);
}
