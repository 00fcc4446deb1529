/**
 * Reads an action version for launch straight from the actions tables.
 * Kept private to executions until the actions service offers the same look-up as a shared verb.
 */
import { and, eq, or } from 'drizzle-orm';
import { Id } from '@fixpoint/protocol';
import type { Db, Tx } from '../../db';
import { actions, actionVersions } from '../../db/schema';
import { badRequest, notFound } from '../../errors';
import { rememberVersion, type VersionRow } from './version-cache';

export type ActionRow = typeof actions.$inferSelect;

/** Loads an action by id or slug and one of its versions (the latest unless `version` is given). Archived actions do not launch. */
export async function loadLaunchableVersion(
  db: Db | Tx,
  ref: string,
  version?: number,
): Promise<{ action: ActionRow; version: VersionRow }> {
  // A slug can look like a uuid, so a uuid-shaped reference matches either.
  const byRef = Id.safeParse(ref).success ? or(eq(actions.id, ref), eq(actions.slug, ref)) : eq(actions.slug, ref);
  const [action] = await db.select().from(actions).where(byRef).limit(1);
  if (!action) throw notFound(`action ${ref}`);
  if (action.archived) throw badRequest(`action ${action.slug} is archived`);
  const wanted = version ?? action.latestVersion;
  const [row] = await db
    .select()
    .from(actionVersions)
    .where(and(eq(actionVersions.actionId, action.id), eq(actionVersions.version, wanted)));
  if (!row) throw notFound(`version ${wanted} of action ${action.slug}`);
  rememberVersion(db, row);
  return { action, version: row };
}
