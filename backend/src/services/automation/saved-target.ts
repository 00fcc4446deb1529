/**
 * @module Saved queries as automation targets: a schedule, detection rule or campaign schedule narrowed to a saved query's devices,
 * read again at each firing or evaluation, so the category is dynamic.
 */
import { eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { Id } from '@fixpoint/protocol';
import type { Db, Tx } from '../../db';
import { savedQueries } from '../../db/schema';
import { invalid } from '../../errors';
import { conditionProblem, deviceQueryCondition } from '../query/condition';
import { parseDeviceTarget } from './targets';

/**
 * The saved query (by id or name) a target is narrowed to; 400 on `savedQuery` when there is none by that name or
 * it is not a condition (a `limit` would make "the devices it selects" depend on the order of a firing).
 */
export async function resolveSavedTarget(db: Db | Tx, ref: string, now: Date): Promise<{ id: string; name: string }> {
  const byId = Id.safeParse(ref).success;
  const [row] = await db.select().from(savedQueries).where(byId ? or(eq(savedQueries.id, ref), eq(savedQueries.name, ref)) : eq(savedQueries.name, ref));
  if (!row) throw invalid(`savedQuery: no saved query ${ref}`, [{ path: 'savedQuery', message: `no saved query ${ref}` }]);
  const problem = conditionProblem(parseDeviceTarget(row.query, now).ast);
  if (problem) throw invalid(`savedQuery: ${row.name}: ${problem}`, [{ path: 'savedQuery', message: problem }]);
  return { id: row.id, name: row.name };
}

/**
 * The condition of the saved query `id` as it reads now; undefined without one. One that is gone or stopped being a
 * condition throws, so the caller fails rather than widening its target.
 */
export async function savedTargetCondition(db: Db | Tx, id: string | null, now: Date): Promise<SQL | undefined> {
  if (!id) return undefined;
  const [saved] = await db.select().from(savedQueries).where(eq(savedQueries.id, id));
  if (!saved) throw new Error('its saved query is gone');
  try {
    return sql`(${deviceQueryCondition(saved.query, now)})`;
  } catch (e) {
    throw new Error(`saved query ${saved.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Names of saved queries by id, for showing what schedules, rules and campaign schedules are narrowed to. */
export async function savedQueryNames(db: Db | Tx, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return new Map();
  const rows = await db.select({ id: savedQueries.id, name: savedQueries.name }).from(savedQueries).where(inArray(savedQueries.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}
