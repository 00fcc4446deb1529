import { eq } from 'drizzle-orm';
import type { Action } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { actions } from '../../db/schema';
import { appendAudit } from '../audit';
import { summaryFieldsOf, toAction } from './convert';
import { requireActionRow, requireVersionRow } from './lookup';
import { invalidatePrincipals } from '../identity';

export interface ArchiveActionInput {
  actor: string;
  idOrSlug: string;
}

/**
 * Archives an action: it disappears from the library and cannot be launched, but its versions stay, because
 * executions reference them. Archiving an archived action changes nothing and writes no audit entry.
 */
export async function archiveAction(ctx: AppContext, input: ArchiveActionInput): Promise<Action> {
  const result = await ctx.db.transaction(async (tx) => {
    const row = await requireActionRow(tx, input.idOrSlug, { forUpdate: true });
    const now = ctx.now();
    if (!row.archived) {
      await tx.update(actions).set({ archived: true, updatedAt: now }).where(eq(actions.id, row.id));
      await appendAudit(
        tx,
        { actor: input.actor, action: 'action.archive', target: `action:${row.slug}`, details: { version: row.latestVersion } },
        now,
      );
    }
    const latest = await requireVersionRow(tx, row);
    const archived = row.archived ? row : { ...row, archived: true, updatedAt: now };
    return toAction(archived, summaryFieldsOf(latest.definition));
  });
  // Roles that run every action launchable by hand (`@manual`) see the change at once.
  invalidatePrincipals();
  return result;
}
