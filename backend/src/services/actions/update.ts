import type { ActionDefinition, ActionWithVersion } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { badRequest, conflict } from '../../errors';
import { appendAudit } from '../audit';
import { toActionWithVersion } from './convert';
import { requireActionRow, requireVersionRow } from './lookup';
import { insertNextVersion, sameContent } from './write';
import { invalidatePrincipals } from '../identity';

export interface UpdateActionInput {
  actor: string;
  idOrSlug: string;
  /** The full new content. The slug may be left out; when given it must be the action's own. */
  definition: Omit<ActionDefinition, 'slug'> & { slug?: string | undefined };
  /** The version the caller edited (from `If-Match`); a different latest version means someone else saved first. */
  ifMatch?: number | undefined;
}

export interface UpdateActionResult {
  action: ActionWithVersion;
  /** False when the content equals the latest version, so no version was added. */
  changed: boolean;
}

/** Saves a new version of an action. Content identical to the latest version adds nothing. */
export async function updateAction(ctx: AppContext, input: UpdateActionInput): Promise<UpdateActionResult> {
  const result = await ctx.db.transaction(async (tx) => {
    const row = await requireActionRow(tx, input.idOrSlug, { forUpdate: true });
    if (input.definition.slug !== undefined && input.definition.slug !== row.slug)
      throw badRequest(`the slug of an action cannot change (this one is ${row.slug}); create a new action for ${input.definition.slug}`);
    if (row.archived) throw conflict(`action ${row.slug} is archived and cannot change`);
    if (input.ifMatch !== undefined && input.ifMatch !== row.latestVersion)
      throw conflict(
        `action ${row.slug} is at version ${row.latestVersion}, not ${input.ifMatch}: someone saved it meanwhile; reload and apply your change again`,
        { latestVersion: row.latestVersion },
      );
    const latest = await requireVersionRow(tx, row);
    const definition: ActionDefinition = { ...input.definition, slug: row.slug };
    if (sameContent(definition, latest.definition)) return { action: toActionWithVersion(row, latest), changed: false };
    const written = await insertNextVersion(tx, ctx, row, definition, input.actor);
    await appendAudit(
      tx,
      {
        actor: input.actor,
        action: 'action.update',
        target: `action:${row.slug}`,
        details: { version: written.version.version, previousVersion: row.latestVersion, scriptHashes: written.version.scriptHashes },
      },
      ctx.now(),
    );
    return { action: toActionWithVersion(written.action, written.version), changed: true };
  });
  // Roles that run every action launchable by hand (`@manual`) see the change at once.
  invalidatePrincipals();
  return result;
}
