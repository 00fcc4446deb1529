import type { AppContext } from '../../context';
import { conflict, notFound } from '../../errors';
import type { ActionRow, ActionVersionRow } from './convert';
import { findActionRow, requireVersionRow } from './lookup';

/**
 * The action version a launch runs: the latest one unless `version` pins another. Throws 404 when the action
 * or version does not exist and 409 when the action is archived. Permission checks (`canRunAction`) and the
 * trigger check stay with the caller.
 * @example const { action, version } = await getActionVersionForLaunch(ctx, 'clear-dns-cache');
 */
export async function getActionVersionForLaunch(
  ctx: AppContext,
  actionIdOrSlug: string,
  version?: number,
): Promise<{ action: ActionRow; version: ActionVersionRow }> {
  const action = await findActionRow(ctx.db, actionIdOrSlug);
  if (!action) throw notFound(`action ${actionIdOrSlug}`);
  if (action.archived) throw conflict(`action ${action.slug} is archived and cannot be launched`);
  return { action, version: await requireVersionRow(ctx.db, action, version) };
}
