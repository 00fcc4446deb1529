import { resolveParameters, type ActionDefinition, type ExecutionTrigger, type ParameterValue, type Platform } from '@fixpoint/protocol';
import { and, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import { actions, actionVersions } from '../../db/schema';
import { AppError, invalid } from '../../errors';
import { getActionVersionForLaunch } from '../actions/launch';

export interface AutomatedAction {
  actionId: string;
  slug: string;
  definition: ActionDefinition;
  /** Platforms the latest version has a script for. */
  platforms: Set<Platform>;
  /** The latest version's number and four-eyes state. */
  version: number;
  approval: 'unapproved' | 'approved' | 'rejected';
}

/**
 * Checks that an action can be fired unattended by `trigger`: it exists, is not archived, its latest version
 * allows the trigger, and `parameters` resolve against its declarations. Throws 400 `validation_failed`
 * (409 for an archived action).
 */
export async function checkAutomatedAction(
  ctx: AppContext,
  input: { action: string; parameters: Record<string, ParameterValue>; trigger: ExecutionTrigger },
): Promise<AutomatedAction> {
  const found = await loadAutomatedAction(ctx, input.action).catch((error: unknown) => {
    if (error instanceof AppError && error.status === 404) throw invalid(`action: ${error.message}`, [{ path: 'action', message: error.message }]);
    throw error;
  });
  const allowed: readonly string[] = found.definition.triggers ?? [];
  if (!allowed.includes(input.trigger)) {
    const message = `action ${found.slug} does not allow the ${input.trigger} trigger (allowed: ${allowed.join(', ')}); add it to the action's triggers`;
    throw invalid(message, [{ path: 'action', message }]);
  }
  const held = awaitingApproval(ctx, found, input.trigger);
  if (held) throw new AppError(409, 'approval_required', held, { actionVersion: found.version, approval: found.approval });
  const resolved = resolveParameters(found.definition.parameters ?? [], input.parameters);
  if (!resolved.ok)
    throw invalid(`parameters: ${resolved.problems.join('; ')}`, resolved.problems.map((message) => ({ path: 'parameters', message })));
  return found;
}

/**
 * Why `trigger` cannot use the action's latest version now (it awaits, or failed, four-eyes approval), or null.
 * Saving refuses it; a schedule records it on the run, a detection rule shows it in its health and keeps its devices waiting.
 */
export function awaitingApproval(ctx: AppContext, action: Pick<AutomatedAction, 'slug' | 'version' | 'approval'>, trigger: ExecutionTrigger): string | null {
  if (!ctx.config.requireApproval || action.approval === 'approved') return null;
  return `version ${action.version} of ${action.slug} is ${action.approval}: a ${trigger} can use it only once someone other than its author approves it`;
}

/** The latest version of an action (by id or slug). 404 when missing, 409 when archived. */
export async function loadAutomatedAction(ctx: AppContext, action: string): Promise<AutomatedAction> {
  const { action: row, version } = await getActionVersionForLaunch(ctx, action);
  const definition = version.definition;
  const platforms = new Set(Object.keys(definition.scripts).filter((p) => definition.scripts[p as Platform]) as Platform[]);
  return { actionId: row.id, slug: row.slug, definition, platforms, version: version.version, approval: version.approval };
}

/** Parameters as they may be shown or audited: secret values become "***". */
export function maskSecrets(parameters: Record<string, ParameterValue>, definition: ActionDefinition | undefined): Record<string, ParameterValue> {
  const secret = new Set((definition?.parameters ?? []).filter((p) => p.secret).map((p) => p.name));
  return Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, secret.has(k) ? '***' : v]));
}

/** Slug and latest definition of each action, for showing schedules and rules (secret masking needs the definition). */
export async function actionSummaries(
  db: Db | Tx,
  actionIds: readonly string[],
): Promise<Map<string, { slug: string; definition: ActionDefinition | undefined }>> {
  const ids = [...new Set(actionIds)];
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: actions.id, slug: actions.slug, definition: actionVersions.definition })
    .from(actions)
    .leftJoin(actionVersions, and(eq(actionVersions.actionId, actions.id), eq(actionVersions.version, actions.latestVersion)))
    .where(inArray(actions.id, ids));
  return new Map(rows.map((r) => [r.id, { slug: r.slug, definition: r.definition ?? undefined }]));
}
