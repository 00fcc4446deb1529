import type { ActionDefinition, ActionFile, ActionImportResult } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { conflict } from '../../errors';
import { appendAudit } from '../audit';
import { approveWritten } from './approve';
import { toActionWithVersion } from './convert';
import { findActionRow, requireVersionRow } from './lookup';
import { insertAction, insertNextVersion, sameContent } from './write';
import { invalidatePrincipals } from '../identity';

export interface ImportActionInput {
  actor: string;
  file: ActionFile;
  /**
   * True when an admin imports: the import counts as the admin's approval, so the new version is approved and
   * signed at once (a library brought in from git or another server keeps running). Anyone else's import is unapproved.
   */
  approve?: boolean;
}

/**
 * Imports an action file: creates the action, or adds a version when the slug exists and the content differs.
 * Importing what is already the latest version changes nothing, so re-running an import (from git, CI…) is safe.
 */
export async function importAction(ctx: AppContext, input: ImportActionInput): Promise<ActionImportResult> {
  const { kind: _kind, apiVersion: _apiVersion, ...definition } = input.file;
  const result = await ctx.db.transaction(async (tx) => {
    const existing = await findActionRow(tx, definition.slug, { forUpdate: true });
    if (!existing) {
      const created = await insertAction(tx, ctx, definition, input.actor);
      // Another import of the same slug committed between our look-up and insert.
      if (!created) throw conflict(`action ${definition.slug} was created meanwhile; import again`);
      const version = input.approve ? await approveWritten(tx, ctx, created.action, created.version, input.actor) : created.version;
      await audit(ctx, tx, input.actor, definition, 'created', 1, created.version.scriptHashes, input.approve);
      return { outcome: 'created' as const, action: toActionWithVersion(created.action, version) };
    }
    if (existing.archived) throw conflict(`action ${existing.slug} is archived and cannot change`);
    const latest = await requireVersionRow(tx, existing);
    if (sameContent(definition, latest.definition))
      return { outcome: 'unchanged' as const, action: toActionWithVersion(existing, latest) };
    const written = await insertNextVersion(tx, ctx, existing, definition, input.actor);
    const version = input.approve ? await approveWritten(tx, ctx, written.action, written.version, input.actor) : written.version;
    await audit(ctx, tx, input.actor, definition, 'updated', written.version.version, written.version.scriptHashes, input.approve);
    return { outcome: 'updated' as const, action: toActionWithVersion(written.action, version) };
  });
  // Roles that run every action launchable by hand (`@manual`) see the change at once.
  invalidatePrincipals();
  return result;
}

function audit(
  ctx: AppContext,
  tx: Parameters<typeof appendAudit>[0],
  actor: string,
  definition: ActionDefinition,
  outcome: 'created' | 'updated',
  version: number,
  scriptHashes: Record<string, string>,
  approved = false,
) {
  return appendAudit(
    tx,
    { actor, action: 'action.import', target: `action:${definition.slug}`, details: { outcome, version, scriptHashes, approved } },
    ctx.now(),
  );
}
