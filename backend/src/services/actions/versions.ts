import { count, desc, eq } from 'drizzle-orm';
import type { ActionVersionSummary } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { actionVersions } from '../../db/schema';
import { toVersionSummary } from './convert';
import { requireActionRow } from './lookup';
import type { ActionVisibility } from './visibility';

export interface ListActionVersionsInput {
  idOrSlug: string;
  visibility: ActionVisibility;
  limit: number;
  offset: number;
}

/** An action's history, newest first. */
export async function listActionVersions(
  ctx: AppContext,
  input: ListActionVersionsInput,
): Promise<{ items: ActionVersionSummary[]; total: number; next: number | null }> {
  const action = await requireActionRow(ctx.db, input.idOrSlug, { visibility: input.visibility });
  const where = eq(actionVersions.actionId, action.id);
  const rows = await ctx.db.select().from(actionVersions).where(where).orderBy(desc(actionVersions.version)).limit(input.limit).offset(input.offset);
  const [{ total } = { total: 0 }] = await ctx.db.select({ total: count() }).from(actionVersions).where(where);
  const end = input.offset + rows.length;
  return { items: rows.map(toVersionSummary), total, next: end < total ? end : null };
}
