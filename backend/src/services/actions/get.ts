import type { ActionVersion, ActionWithVersion } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { toActionVersion, toActionWithVersion } from './convert';
import { requireActionRow, requireVersionRow } from './lookup';
import type { ActionVisibility } from './visibility';

export interface GetActionInput {
  idOrSlug: string;
  visibility: ActionVisibility;
}

/** One action with its latest version, archived or not (execution history still links to archived actions). */
export async function getAction(ctx: AppContext, input: GetActionInput): Promise<ActionWithVersion> {
  const row = await requireActionRow(ctx.db, input.idOrSlug, { visibility: input.visibility });
  return toActionWithVersion(row, await requireVersionRow(ctx.db, row));
}

export interface GetActionVersionInput extends GetActionInput {
  version: number;
}

/** One immutable version of an action. */
export async function getActionVersion(ctx: AppContext, input: GetActionVersionInput): Promise<ActionVersion> {
  const row = await requireActionRow(ctx.db, input.idOrSlug, { visibility: input.visibility });
  return toActionVersion(await requireVersionRow(ctx.db, row, input.version));
}
