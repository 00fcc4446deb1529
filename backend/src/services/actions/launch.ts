import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import { actions, actionVersions } from '../../db/schema';
import { conflict, notFound } from '../../errors';
import type { ActionRow, ActionVersionRow } from './convert';
import { actionRef } from './lookup';

/**
 * The action version a launch runs: the latest one unless `version` pins another. Throws 404 when the action
 * or version does not exist and 409 when the action is archived. Permission checks (`canRunAction`) and the
 * trigger check stay with the caller. One query, since every launch passes here; `db` may be a transaction.
 * @example const { action, version } = await getActionVersionForLaunch(ctx, 'clear-dns-cache');
 */
export async function getActionVersionForLaunch(
  ctx: AppContext,
  actionIdOrSlug: string,
  version?: number,
  db: Db | Tx = ctx.db,
): Promise<{ action: ActionRow; version: ActionVersionRow }> {
  const [row] = await db
    .select({ action: actions, version: actionVersions })
    .from(actions)
    .leftJoin(
      actionVersions,
      and(eq(actionVersions.actionId, actions.id), eq(actionVersions.version, version ?? actions.latestVersion)),
    )
    .where(actionRef(actionIdOrSlug));
  if (!row) throw notFound(`action ${actionIdOrSlug}`);
  if (row.action.archived) throw conflict(`action ${row.action.slug} is archived and cannot be launched`);
  if (!row.version) throw notFound(`version ${version} of action ${row.action.slug}`);
  return { action: row.action, version: row.version };
}
