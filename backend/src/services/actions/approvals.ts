/**
 * @module The approvals queue: unapproved versions of actions still in the library, newest first, each compared with
 * the last approved version before it. Reviewers see every version they could review; anyone else only their own.
 */
import { and, count, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import type { ApprovalQueueItem } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { actions, actionVersions } from '../../db/schema';
import { pageOf, type Page } from '../page';
import { toVersionSummary, type ActionVersionRow } from './convert';
import { versionChanges } from './changes';
import { can, type Principal } from '../identity/rights';
import { actionVisibility } from './visibility';

export interface ListApprovalsInput {
  /** Reviewers (`actions:approve`) see every waiting version of the actions they see; others only their own. */
  principal: Principal;
  limit: number;
  offset: number;
}

export async function listApprovals(ctx: AppContext, input: ListApprovalsInput): Promise<Page<ApprovalQueueItem>> {
  const visibility = actionVisibility(input.principal);
  if (visibility !== '*' && visibility.size === 0) return pageOf([], 0, input.offset);
  const conditions: (SQL | undefined)[] = [eq(actionVersions.approval, 'unapproved'), eq(actions.archived, false)];
  if (!can(input.principal, 'actions:approve')) conditions.push(eq(actionVersions.createdBy, input.principal.label));
  if (visibility !== '*') conditions.push(inArray(actions.slug, [...visibility]));
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select({ action: actions, version: actionVersions })
      .from(actionVersions)
      .innerJoin(actions, eq(actions.id, actionVersions.actionId))
      .where(where)
      .orderBy(desc(actionVersions.createdAt), desc(actionVersions.version))
      .limit(input.limit)
      .offset(input.offset),
    ctx.db.select({ n: count() }).from(actionVersions).innerJoin(actions, eq(actions.id, actionVersions.actionId)).where(where),
  ]);
  const baselines = await approvedVersionsOf(ctx, rows.map((r) => r.version));
  const items = rows.map(({ action, version }) => {
    // the newest approved version older than this one (the list is newest first)
    const baseline = baselines.find((b) => b.actionId === version.actionId && b.version < version.version);
    return {
      action: { id: action.id, slug: action.slug, name: action.name },
      version: toVersionSummary(version),
      baseline: baseline ? toVersionSummary(baseline) : null,
      latest: version.version === action.latestVersion,
      changes: versionChanges(baseline?.definition ?? null, version.definition),
    };
  });
  return pageOf(items, total?.n ?? 0, input.offset);
}

/** The approved versions of the page's actions older than its newest waiting version, newest first: one query per page. */
async function approvedVersionsOf(ctx: AppContext, waiting: ActionVersionRow[]): Promise<ActionVersionRow[]> {
  if (!waiting.length) return [];
  const newest = Math.max(...waiting.map((v) => v.version));
  return ctx.db
    .select()
    .from(actionVersions)
    .where(
      and(
        inArray(actionVersions.actionId, [...new Set(waiting.map((v) => v.actionId))]),
        eq(actionVersions.approval, 'approved'),
        lt(actionVersions.version, newest),
      ),
    )
    .orderBy(desc(actionVersions.version));
}
