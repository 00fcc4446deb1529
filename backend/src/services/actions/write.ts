/** @module The two writes every action change is made of: a new action with version 1, or the next version of one. */
import { eq } from 'drizzle-orm';
import { canonicalJson, selfServiceProblem, type ActionDefinition } from '@fixpoint/protocol';
import { invalid } from '../../errors';
import type { AppContext } from '../../context';
import type { Tx } from '../../db';
import { actions, actionVersions } from '../../db/schema';
import type { ActionRow, ActionVersionRow } from './convert';
import { hashScripts } from './hash';

export interface WrittenVersion {
  action: ActionRow;
  version: ActionVersionRow;
}

/** Inserts a new action and its version 1, or returns null when the slug is taken (also by a concurrent writer). */
export async function insertAction(tx: Tx, ctx: AppContext, definition: ActionDefinition, actor: string): Promise<WrittenVersion | null> {
  checkSelfService(definition);
  const now = ctx.now();
  const [action] = await tx
    .insert(actions)
    .values({ slug: definition.slug, name: definition.name, latestVersion: 1, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: actions.slug })
    .returning();
  if (!action) return null;
  const [version] = await tx
    .insert(actionVersions)
    .values({ actionId: action.id, version: 1, definition, scriptHashes: hashScripts(definition.scripts), createdAt: now, createdBy: actor })
    .returning();
  return { action, version: version! };
}

/**
 * Appends the next version and moves the denormalized fields of the action to it. Versions are never updated:
 * executions point at them, and what ran must stay readable exactly as it was.
 */
export async function insertNextVersion(
  tx: Tx,
  ctx: AppContext,
  action: ActionRow,
  definition: ActionDefinition,
  actor: string,
): Promise<WrittenVersion> {
  checkSelfService(definition);
  const now = ctx.now();
  const next = action.latestVersion + 1;
  const [version] = await tx
    .insert(actionVersions)
    .values({ actionId: action.id, version: next, definition, scriptHashes: hashScripts(definition.scripts), createdAt: now, createdBy: actor })
    .returning();
  const [updated] = await tx
    .update(actions)
    .set({ name: definition.name, latestVersion: next, updatedAt: now })
    .where(eq(actions.id, action.id))
    .returning();
  return { action: updated!, version: version! };
}

/** Whether two definitions say the same thing (jsonb does not keep key order, so compare canonical JSON). */
export function sameContent(a: ActionDefinition, b: ActionDefinition): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function checkSelfService(definition: ActionDefinition): void {
  const problem = selfServiceProblem(definition);
  if (problem) throw invalid(problem, [{ path: 'selfService', message: problem }]);
}
