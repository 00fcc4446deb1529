import { and, eq, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { actions, actionVersions } from '../../db/schema';
import { notFound } from '../../errors';
import type { ActionRow, ActionVersionRow } from './convert';
import { isVisible, type ActionVisibility } from './visibility';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The condition selecting an action by id or slug. */
export function actionRef(idOrSlug: string): SQL {
  return uuidPattern.test(idOrSlug) ? eq(actions.id, idOrSlug.toLowerCase()) : eq(actions.slug, idOrSlug);
}

/**
 * Finds an action by id or slug. Only a UUID-shaped reference is compared with the id column, so any other
 * text never reaches PostgreSQL as an invalid uuid. `forUpdate` locks the row until the transaction ends,
 * which serializes concurrent writers of one action.
 */
export async function findActionRow(db: Db | Tx, idOrSlug: string, options: { forUpdate?: boolean } = {}): Promise<ActionRow | undefined> {
  const query = db.select().from(actions).where(actionRef(idOrSlug));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** Like `findActionRow`, but a missing action, or one the caller may not see, is a 404 (hiding that it exists). */
export async function requireActionRow(
  db: Db | Tx,
  idOrSlug: string,
  options: { forUpdate?: boolean; visibility?: ActionVisibility } = {},
): Promise<ActionRow> {
  const row = await findActionRow(db, idOrSlug, options);
  if (!row || !isVisible(options.visibility ?? '*', row.slug)) throw notFound(`action ${idOrSlug}`);
  return row;
}

export async function findVersionRow(db: Db | Tx, actionId: string, version: number): Promise<ActionVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(actionVersions)
    .where(and(eq(actionVersions.actionId, actionId), eq(actionVersions.version, version)));
  return row;
}

export async function requireVersionRow(db: Db | Tx, action: ActionRow, version = action.latestVersion): Promise<ActionVersionRow> {
  const row = await findVersionRow(db, action.id, version);
  if (!row) throw notFound(`version ${version} of action ${action.slug}`);
  return row;
}
