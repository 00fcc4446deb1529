/**
 * @module Saved queries: named devices queries, the dynamic categories of the console (launch targets) and of role
 * scopes. A query that scopes a role decides what that role reaches, so only an admin may change it, nobody may
 * delete it while a role uses it, and every change is audited.
 */
import { asc, count, eq } from 'drizzle-orm';
import { Id, type SavedQuery, type SavedQueryInput } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import { campaigns, campaignSchedules, detectionRules, roles, savedQueries, schedules } from '../../db/schema';
import { badRequest, conflict, forbidden, notFound } from '../../errors';
import { can, type Principal } from '../identity/rights';
import { invalidatePrincipals } from '../identity/principal';
import { appendAudit } from '../audit';
import { parseDeviceTarget } from '../automation/targets';
import { conditionProblem } from '../query/condition';
import { evaluateRuleFleet } from '../detection/evaluate';
import { pageOf, type Page } from '../page';

type Row = typeof savedQueries.$inferSelect;

/** Which roles' scopes name each saved query (roles are few: one read answers for every query). */
async function rolesByQuery(db: Db | Tx): Promise<Map<string, string[]>> {
  const rows = await db.select({ name: roles.name, scope: roles.deviceScope }).from(roles).orderBy(asc(roles.name));
  const by = new Map<string, string[]>();
  for (const r of rows) for (const id of r.scope.queries ?? []) by.set(id, [...(by.get(id) ?? []), r.name]);
  return by;
}

function toSavedQuery(row: Row, usedBy: Map<string, string[]>, now: Date): SavedQuery {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    query: row.query,
    scopable: conditionProblem(parseDeviceTarget(row.query, now).ast) === null,
    usedByRoles: usedBy.get(row.id) ?? [],
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The schedules, detection rules and campaign schedules a saved query narrows, by name ("schedule Disk usage",
 * "rule Low disk", "campaign schedule of vpn-survey"; campaign schedules are unnamed, so by their campaign).
 */
async function automationUsing(db: Db | Tx, id: string): Promise<{ names: string[]; ruleIds: string[] }> {
  const [s, r, c] = await Promise.all([
    db.select({ name: schedules.name }).from(schedules).where(eq(schedules.savedQueryId, id)).orderBy(asc(schedules.name)),
    db.select({ id: detectionRules.id, name: detectionRules.name }).from(detectionRules).where(eq(detectionRules.savedQueryId, id)).orderBy(asc(detectionRules.name)),
    db
      .selectDistinct({ slug: campaigns.slug })
      .from(campaignSchedules)
      .innerJoin(campaigns, eq(campaigns.id, campaignSchedules.campaignId))
      .where(eq(campaignSchedules.savedQueryId, id))
      .orderBy(asc(campaigns.slug)),
  ]);
  const names = [...s.map((x) => `schedule ${x.name}`), ...r.map((x) => `rule ${x.name}`), ...c.map((x) => `campaign schedule of ${x.slug}`)];
  return { names, ruleIds: r.map((x) => x.id) };
}

async function findRow(db: Db | Tx, id: string, lock = false): Promise<Row> {
  if (!Id.safeParse(id).success) throw notFound('saved query');
  const query = db.select().from(savedQueries).where(eq(savedQueries.id, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('saved query');
  return row;
}

async function assertNameFree(tx: Tx, name: string, except?: string): Promise<void> {
  const [taken] = await tx.select({ id: savedQueries.id }).from(savedQueries).where(eq(savedQueries.name, name));
  if (taken && taken.id !== except) throw conflict(`a saved query named ${name} already exists`);
}

export async function listSavedQueries(ctx: AppContext, input: { limit: number; offset: number }): Promise<Page<SavedQuery>> {
  const rows = await ctx.db.select().from(savedQueries).orderBy(asc(savedQueries.name)).limit(input.limit).offset(input.offset);
  const [{ n } = { n: 0 }] = await ctx.db.select({ n: count() }).from(savedQueries);
  const usedBy = await rolesByQuery(ctx.db);
  return pageOf(rows.map((r) => toSavedQuery(r, usedBy, ctx.now())), n, input.offset);
}

export async function getSavedQuery(ctx: AppContext, id: string): Promise<SavedQuery> {
  return toSavedQuery(await findRow(ctx.db, id), await rolesByQuery(ctx.db), ctx.now());
}

export async function createSavedQuery(ctx: AppContext, input: { principal: Principal; body: SavedQueryInput }): Promise<SavedQuery> {
  const { principal, body } = input;
  const now = ctx.now();
  parseDeviceTarget(body.query, now);
  return ctx.db.transaction(async (tx) => {
    await assertNameFree(tx, body.name);
    const [row] = await tx.insert(savedQueries).values({ ...body, createdBy: principal.label, createdAt: now, updatedAt: now }).returning();
    await appendAudit(tx, { actor: principal.label, action: 'saved_query.create', target: `saved_query:${row!.id}`, details: { ...body } }, now);
    return toSavedQuery(row!, new Map(), now);
  });
}

/** Replaces a saved query. One that scopes a role needs `admin` and must stay usable as a scope. */
export async function updateSavedQuery(ctx: AppContext, input: { principal: Principal; id: string; body: SavedQueryInput }): Promise<SavedQuery> {
  const { principal, body } = input;
  const now = ctx.now();
  const target = parseDeviceTarget(body.query, now);
  const result = await ctx.db.transaction(async (tx) => {
    const row = await findRow(tx, input.id, true);
    const usedBy = await rolesByQuery(tx);
    const scoped = usedBy.get(row.id) ?? [];
    if (scoped.length && body.query !== row.query) {
      if (!can(principal, 'admin')) throw forbidden(`this query scopes the roles ${scoped.join(', ')}; only an admin may change it`);
      const problem = conditionProblem(target.ast);
      if (problem) throw badRequest(`this query scopes the roles ${scoped.join(', ')}: ${problem}`);
    }
    const targeting = body.query !== row.query ? await automationUsing(tx, row.id) : { names: [], ruleIds: [] };
    const problem = targeting.names.length ? conditionProblem(target.ast) : null;
    if (problem) throw badRequest(`${targeting.names.join(', ')} target this query: ${problem}`);
    await assertNameFree(tx, body.name, row.id);
    const [updated] = await tx.update(savedQueries).set({ ...body, updatedAt: now }).where(eq(savedQueries.id, row.id)).returning();
    await appendAudit(
      tx,
      { actor: principal.label, action: 'saved_query.update', target: `saved_query:${row.id}`, details: { ...body, previousQuery: row.query, roles: scoped } },
      now,
    );
    return { saved: toSavedQuery(updated!, usedBy, now), scoped: scoped.length > 0, rules: targeting.ruleIds };
  });
  if (result.scoped) invalidatePrincipals();
  // rules match incrementally as devices change; a new category text re-evaluates them over the fleet
  for (const id of result.rules)
    await evaluateRuleFleet(ctx, id).catch((error: unknown) => ctx.log.error('detection rule evaluation failed', { rule: id, error: String(error) }));
  return result.saved;
}

/** Deletes a saved query; one that a role's scope, a schedule, a detection rule or a campaign schedule uses gives 409 until they stop using it. */
export async function deleteSavedQuery(ctx: AppContext, input: { principal: Principal; id: string }): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const row = await findRow(tx, input.id, true);
    const scoped = (await rolesByQuery(tx)).get(row.id) ?? [];
    if (scoped.length) throw conflict(`this query scopes the roles ${scoped.join(', ')}; change their scope first`, { roles: scoped });
    const { names } = await automationUsing(tx, row.id);
    if (names.length) throw conflict(`${names.join(', ')} target this query; change their target first`, { usedBy: names });
    await tx.delete(savedQueries).where(eq(savedQueries.id, row.id));
    await appendAudit(tx, { actor: input.principal.label, action: 'saved_query.delete', target: `saved_query:${row.id}`, details: { name: row.name, query: row.query } }, now);
  });
}

/** Checks the saved queries a role's scope names: each must exist and be usable as a scope (400 otherwise). */
export async function assertScopeQueries(tx: Db | Tx, ids: readonly string[], now: Date): Promise<void> {
  for (const id of new Set(ids)) {
    const [row] = await tx.select().from(savedQueries).where(eq(savedQueries.id, id));
    if (!row) throw badRequest(`deviceScope.queries: no saved query ${id}`);
    const problem = conditionProblem(parseDeviceTarget(row.query, now).ast);
    if (problem) throw badRequest(`deviceScope.queries: ${row.name}: ${problem}`);
  }
}
