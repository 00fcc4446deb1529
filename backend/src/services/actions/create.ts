import type { ActionDefinition, ActionWithVersion } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { conflict } from '../../errors';
import { appendAudit } from '../audit';
import { toActionWithVersion } from './convert';
import { insertAction } from './write';
import { invalidatePrincipals } from '../identity';

export interface CreateActionInput {
  /** Audit label of the caller, e.g. `user:ana@example.com`. */
  actor: string;
  definition: ActionDefinition;
}

/** Creates an action with its version 1. A taken slug (archived actions keep theirs) is a 409. */
export async function createAction(ctx: AppContext, input: CreateActionInput): Promise<ActionWithVersion> {
  const { slug } = input.definition;
  const result = await ctx.db.transaction(async (tx) => {
    const created = await insertAction(tx, ctx, input.definition, input.actor);
    if (!created) throw conflict(`an action with slug ${slug} already exists; update it with PUT /api/v1/actions/${slug} instead`);
    await appendAudit(
      tx,
      { actor: input.actor, action: 'action.create', target: `action:${slug}`, details: { version: 1, name: input.definition.name, scriptHashes: created.version.scriptHashes } },
      ctx.now(),
    );
    return toActionWithVersion(created.action, created.version);
  });
  // Roles that run every action launchable by hand (`@manual`) see the change at once.
  invalidatePrincipals();
  return result;
}
