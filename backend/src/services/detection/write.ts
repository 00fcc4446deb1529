import { eq } from 'drizzle-orm';
import {
  DetectionGuards, type ActionDefinition, type DetectionGuardsPatch, type DetectionRule, type DetectionRuleInput, type DetectionRuleUpdate,
} from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Tx } from '../../db';
import { detectionRules, detectionState } from '../../db/schema';
import { conflict, invalid, notFound } from '../../errors';
import type { Principal } from '../identity/rights';
import { appendAudit } from '../audit';
import { actionSummaries, checkAutomatedAction, maskSecrets, mayRun, ownerFor, parseDeviceCondition, resolveSavedTarget, savedQueryNames } from '../automation';
import { toDetectionRule } from './convert';
import { advanceRule } from './outcomes';
import { evaluateRuleFleet } from './evaluate';
import type { RuleRow } from './snapshot';

/**
 * Locks a rule row. Changes that keep the row take `no key update`, which (unlike `update`) does not block the
 * key-share locks that inserting match state and events takes through their foreign keys, so firing, settling and
 * evaluation cannot deadlock on it; deletion takes `update`.
 */
async function lockRule(tx: Tx, id: string, mode: 'update' | 'no key update' = 'no key update'): Promise<RuleRow> {
  const [row] = await tx.select().from(detectionRules).where(eq(detectionRules.id, id)).for(mode);
  if (!row) throw notFound('detection rule');
  return row;
}

function checkGuards(guards: DetectionGuards): void {
  if (guards.breaker.minResults > guards.breaker.window) {
    const message = `breaker.minResults (${guards.breaker.minResults}) cannot exceed breaker.window (${guards.breaker.window})`;
    throw invalid(`guards: ${message}`, [{ path: 'guards.breaker.minResults', message }]);
  }
}

function mergeGuards(current: DetectionGuards, patch: DetectionGuardsPatch | undefined): DetectionGuards {
  if (!patch) return current;
  const { breaker, ...rest } = patch;
  return DetectionGuards.parse({ ...current, ...rest, breaker: { ...current.breaker, ...breaker } });
}

function auditDetails(row: RuleRow, action: { slug: string; definition: ActionDefinition | undefined }): Record<string, unknown> {
  const { name, condition, savedQueryId, enabled, selfHelp, guards, ownerLabel } = row;
  return { name, condition, savedQueryId, action: action.slug, parameters: maskSecrets(row.parameters, action.definition), enabled, selfHelp, guards, owner: ownerLabel };
}

/**
 * The caller as the rule's new owner (403 unless it may run the action), lifting a pause for the previous owner;
 * a breaker pause keeps its reason.
 */
function takeOwnership(principal: Principal, slug: string, rule?: RuleRow) {
  const lifted = rule?.pausedForOwner && !rule.pausedByBreaker ? { pausedReason: null, pausedAt: null } : {};
  return { ...ownerFor(principal, mayRun(slug), 'detection rule'), pausedForOwner: false, ...lifted };
}

/** Evaluation problems never undo a saved rule; the sweep and later device changes retry. */
async function evaluateSafely(ctx: AppContext, id: string): Promise<void> {
  try {
    await evaluateRuleFleet(ctx, id);
  } catch (error) {
    ctx.log.error('detection rule evaluation failed', { rule: id, error: String(error) });
  }
}

async function present(ctx: AppContext, id: string): Promise<DetectionRule> {
  const [row] = await ctx.db.select().from(detectionRules).where(eq(detectionRules.id, id));
  if (!row) throw notFound('detection rule');
  const action = (await actionSummaries(ctx.db, [row.actionId])).get(row.actionId) ?? { slug: '', definition: undefined };
  return toDetectionRule(row, action, (await savedQueryNames(ctx.db, [row.savedQueryId])).get(row.savedQueryId ?? ''));
}

/** A parsed `DetectionRuleInput`; `savedQuery` (added later) may be left out. */
export type NewDetectionRule = Omit<DetectionRuleInput, 'savedQuery'> & { savedQuery?: string | null | undefined };

/**
 * Creates a rule after checking its condition, its action (allows the `detection` trigger, parameters resolve)
 * and its guards, then evaluates it over the fleet: every device matching now in the owner's scope fires, within
 * the guards. The caller becomes its owner, so must be allowed to run the action (403 otherwise).
 */
export async function createDetectionRule(ctx: AppContext, input: { principal: Principal; rule: NewDetectionRule }): Promise<DetectionRule> {
  const r = input.rule;
  const now = ctx.now();
  parseDeviceCondition(r.condition, now);
  const saved = r.savedQuery ? await resolveSavedTarget(ctx.db, r.savedQuery, now) : null;
  const action = await checkAutomatedAction(ctx, { action: r.action, parameters: r.parameters, trigger: 'detection' });
  const owner = takeOwnership(input.principal, action.slug);
  checkGuards(r.guards);
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(detectionRules)
      .values({
        name: r.name, description: r.description, condition: r.condition, savedQueryId: saved?.id ?? null, actionId: action.actionId, parameters: r.parameters, enabled: r.enabled,
        selfHelp: r.selfHelp,
        guards: r.guards, breakerResetAt: now, rolloutStartedAt: now, ...owner, createdBy: input.principal.label, createdAt: now, updatedAt: now,
      })
      .returning();
    await appendAudit(tx, { actor: input.principal.label, action: 'detection.create', target: `detection:${row!.id}`, details: auditDetails(row!, action) }, now);
    return row!.id;
  });
  await evaluateSafely(ctx, id);
  return present(ctx, id);
}

/**
 * Changes a rule. A new condition, action or parameters (or enabling it) starts it afresh: match state and the
 * staged rollout restart and the fleet is evaluated again (the run history, and so cooldowns and daily limits,
 * stay). Guard changes apply to the next firing. Any change but disabling makes the caller the owner (403 unless
 * it may run the action); taking over a rule paused for its owner evaluates it afresh too.
 */
export async function updateDetectionRule(ctx: AppContext, input: { principal: Principal; id: string; changes: DetectionRuleUpdate }): Promise<DetectionRule> {
  const c = input.changes;
  const now = ctx.now();
  const [before] = await ctx.db.select().from(detectionRules).where(eq(detectionRules.id, input.id));
  if (!before) throw notFound('detection rule');
  if (c.condition !== undefined) parseDeviceCondition(c.condition, now);
  const saved = c.savedQuery ? await resolveSavedTarget(ctx.db, c.savedQuery, now) : null;
  const savedQueryId = c.savedQuery === undefined ? before.savedQueryId : (saved?.id ?? null);
  const enabled = c.enabled ?? before.enabled;
  // disabling only stops firing, so anyone who may edit rules may do it without taking the rule over
  const disablingOnly = Object.keys(c).every((k) => k === 'enabled') && !enabled;
  const redefined =
    c.condition !== undefined || savedQueryId !== before.savedQueryId || c.action !== undefined || c.parameters !== undefined || (enabled && !before.enabled) || (!disablingOnly && before.pausedForOwner);
  const action = redefined
    ? await checkAutomatedAction(ctx, { action: c.action ?? before.actionId, parameters: c.parameters ?? before.parameters, trigger: 'detection' })
    : { actionId: before.actionId, ...(await actionSummaries(ctx.db, [before.actionId])).get(before.actionId)! };
  const owner = disablingOnly ? {} : takeOwnership(input.principal, action.slug, before);
  const guards = mergeGuards(before.guards, c.guards);
  checkGuards(guards);
  await ctx.db.transaction(async (tx) => {
    await lockRule(tx, input.id);
    const [row] = await tx
      .update(detectionRules)
      .set({
        ...(c.name !== undefined && { name: c.name }),
        ...(c.description !== undefined && { description: c.description }),
        ...(c.condition !== undefined && { condition: c.condition }),
        savedQueryId,
        ...(c.parameters !== undefined && { parameters: c.parameters }),
        actionId: action.actionId,
        enabled,
        ...(c.selfHelp !== undefined && { selfHelp: c.selfHelp }),
        guards,
        ...owner,
        ...(redefined && { rolloutStartedAt: now, canaryPassedAt: null }),
        updatedAt: now,
      })
      .where(eq(detectionRules.id, input.id))
      .returning();
    if (redefined || !enabled) await tx.delete(detectionState).where(eq(detectionState.ruleId, input.id));
    const details = { changed: Object.keys(c), ...auditDetails(row!, action) };
    await appendAudit(tx, { actor: input.principal.label, action: 'detection.update', target: `detection:${input.id}`, details }, now);
  });
  if (redefined) await evaluateSafely(ctx, input.id);
  else if (enabled && c.guards) await advanceRule(ctx, input.id);
  return present(ctx, input.id);
}

/** Deletes a rule with its match state and run history; executions it launched stay. */
export async function deleteDetectionRule(ctx: AppContext, input: { principal: Principal; id: string }): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const row = await lockRule(tx, input.id, 'update');
    await tx.delete(detectionRules).where(eq(detectionRules.id, input.id));
    await appendAudit(tx, { actor: input.principal.label, action: 'detection.delete', target: `detection:${row.id}`, details: { name: row.name } }, now);
  });
}

/**
 * Resumes a paused rule (by its circuit breaker or for its owner): the caller becomes its owner (403 unless it
 * may run the action), the breaker window and the staged rollout start over, attempts reset, and the fleet is
 * evaluated again. 409 when the rule is not paused.
 */
export async function resumeDetectionRule(ctx: AppContext, input: { principal: Principal; id: string }): Promise<DetectionRule> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const row = await lockRule(tx, input.id);
    if (!row.pausedByBreaker && !row.pausedForOwner) throw conflict('the rule is not paused');
    const { slug } = (await actionSummaries(tx, [row.actionId])).get(row.actionId)!;
    await tx
      .update(detectionRules)
      .set({
        ...takeOwnership(input.principal, slug), pausedByBreaker: false, pausedReason: null, pausedAt: null,
        breakerResetAt: now, rolloutStartedAt: now, canaryPassedAt: null, updatedAt: now,
      })
      .where(eq(detectionRules.id, input.id));
    await tx.update(detectionState).set({ attempts: 0, pending: true, notBefore: null, blockedBy: null }).where(eq(detectionState.ruleId, input.id));
    await appendAudit(tx, { actor: input.principal.label, action: 'detection.resume', target: `detection:${row.id}`, details: { name: row.name, pausedReason: row.pausedReason } }, now);
  });
  await evaluateSafely(ctx, input.id);
  return present(ctx, input.id);
}
