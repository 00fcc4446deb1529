import { and } from 'drizzle-orm';
import {
  resolveParameters, limits, type ExecutionTrigger, type LaunchRequest, type ParameterValue, type Platform,
} from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db';
import { anyId } from '../../db/any-id';
import { devices } from '../../db/schema';
import { AppError, badRequest, forbidden, invalid } from '../../errors';
import { canRunAction, type Principal } from '../identity/rights';
import { deviceScopeCondition } from '../devices/scope';
import { scriptFor } from './envelope';
import { getActionVersionForLaunch } from '../actions/launch';
import type { ActionRow } from '../actions/convert';
import { rememberVersion, type VersionRow } from './version-cache';
import { decideRollout, type RolloutDecision } from './rollout-plan';

/** What a caller asks for: the wire request, who asks, and a trigger only server-side launchers may set. */
export interface LaunchAsk {
  principal: Principal;
  request: LaunchRequest;
  trigger?: ExecutionTrigger | undefined;
  /** Server-side launchers only (schedules): each device's signed hold (`EnvelopePayload.notBefore`), if any. */
  notBefore?: ((deviceId: string) => string | undefined) | undefined;
}

/** Everything a launch writes, checked before anything is written. */
export interface LaunchPlan {
  action: ActionRow;
  version: VersionRow;
  trigger: ExecutionTrigger;
  targets: { id: string; platform: Platform }[];
  parameters: Record<string, ParameterValue>;
  secretParameters: Record<string, ParameterValue> | null;
  now: Date;
  expiresAt: Date;
  /** The staged rollout, with each target's wave; null launches to every target at once. */
  rollout: RolloutDecision | null;
}

/**
 * Checks launch requests against their action versions, the callers' rights and device scopes, and the devices'
 * platforms. Reads only, and few: one action look-up per distinct action and one device look-up per distinct device
 * scope, however many launches arrive together. Each launch gets its plan or the first problem found with it.
 */
export async function planLaunches(ctx: AppContext, asks: readonly LaunchAsk[], db: Db | Tx = ctx.db): Promise<(LaunchPlan | Error)[]> {
  const versions = new Map<string, Promise<Awaited<ReturnType<typeof getActionVersionForLaunch>>>>();
  for (const { request } of asks) {
    const key = `${request.action}\u0000${request.actionVersion ?? ''}`;
    if (!versions.has(key)) versions.set(key, getActionVersionForLaunch(ctx, request.action, request.actionVersion, db));
  }
  // Launches by callers with the same device scope share one look-up.
  const scopes = new Map<string, { principal: Principal; ids: Set<string>; found?: Promise<Map<string, Platform>> }>();
  for (const { principal, request } of asks) {
    const key = JSON.stringify(principal.scopes);
    const group = scopes.get(key) ?? { principal, ids: new Set<string>() };
    for (const id of request.devices) group.ids.add(id);
    scopes.set(key, group);
  }
  for (const group of scopes.values()) group.found = findDevices(db, group.principal, [...group.ids]);
  // Settle every look-up before deciding, so none is left running (or failing unobserved) after an early throw.
  await Promise.allSettled([...versions.values(), ...[...scopes.values()].map((g) => g.found)]);

  const now = ctx.now();
  const plans: (LaunchPlan | Error)[] = [];
  for (const ask of asks) {
    try {
      const { action, version } = await versions.get(`${ask.request.action}\u0000${ask.request.actionVersion ?? ''}`)!;
      rememberVersion(ctx.db, version);
      const found = await scopes.get(JSON.stringify(ask.principal.scopes))!.found!;
      plans.push(checkLaunch(ask, action, version, found, now, ctx.config.rolloutThreshold, ctx.config.requireApproval));
    } catch (error) {
      plans.push(error as Error);
    }
  }
  return plans;
}

async function findDevices(db: Db | Tx, principal: Principal, ids: string[]): Promise<Map<string, Platform>> {
  const rows = await db
    .select({ id: devices.id, platform: devices.platform })
    .from(devices)
    .where(and(anyId(devices.id, ids), deviceScopeCondition(principal)));
  return new Map(rows.map((r) => [r.id, r.platform]));
}

/** The checks that need no database: rights, trigger, devices found, parameters and per-platform scripts. */
function checkLaunch(
  ask: LaunchAsk, action: ActionRow, version: VersionRow, found: Map<string, Platform>, now: Date, threshold: number, requireApproval: boolean,
): LaunchPlan {
  const { principal, request } = ask;
  const definition = version.definition;
  if (!canRunAction(principal, action.slug)) throw forbidden(`you may not run action ${action.slug}`);

  const trigger = ask.trigger ?? request.trigger ?? (principal.kind === 'client' ? 'api' : 'manual');
  const allowed: readonly string[] = definition.triggers ?? [];
  if (!allowed.includes(trigger))
    throw forbidden(`action ${action.slug} cannot be launched by the ${trigger} trigger (allowed: ${allowed.join(', ') || 'none'})`);

  // Out-of-scope devices count as missing: the caller learns how many, never which exist.
  const ids = [...new Set(request.devices)];
  const targets: LaunchPlan['targets'] = [];
  for (const id of ids) {
    const platform = found.get(id);
    if (platform) targets.push({ id, platform });
  }
  if (targets.length < ids.length) {
    const missing = ids.length - targets.length;
    throw new AppError(
      404,
      'not_found',
      `${missing} of ${ids.length} device${ids.length === 1 ? '' : 's'} not found (or outside your device scope)`,
      { missing },
    );
  }

  const resolved = resolveParameters(definition.parameters ?? [], request.parameters);
  if (!resolved.ok) throw invalid(`parameters: ${resolved.problems.join('; ')}`, resolved.problems.map((message) => ({ path: 'parameters', message })));
  const secretNames = new Set((definition.parameters ?? []).filter((p) => p.secret).map((p) => p.name));
  const parameters: Record<string, ParameterValue> = {};
  const secrets: Record<string, ParameterValue> = {};
  for (const [name, value] of Object.entries(resolved.values)) (secretNames.has(name) ? secrets : parameters)[name] = value;

  const perPlatform = new Map<Platform, number>();
  for (const t of targets) perPlatform.set(t.platform, (perPlatform.get(t.platform) ?? 0) + 1);
  for (const [platform, n] of perPlatform)
    if (!scriptFor(version, platform))
      throw badRequest(`action ${action.slug} has no ${platform} script (${n} of the devices run ${platform})`, { platform, devices: n });

  // Before the rollout's own checks, so an unapproved version is not first asked for a device count it cannot use.
  if (requireApproval && version.approval !== 'approved') checkUnapproved(action, version, trigger, targets.length, Boolean(request.rollout), threshold);
  const rollout = decideRollout({ principal, request, trigger, serverSide: ask.trigger !== undefined, threshold }, targets.length);
  const expirySec = request.expirySec ?? definition.expirySec ?? limits.defaultExpirySec;
  return {
    action,
    version,
    trigger,
    targets,
    parameters,
    secretParameters: Object.keys(secrets).length ? secrets : null,
    now,
    expiresAt: new Date(now.getTime() + expirySec * 1000),
    rollout,
  };
}

/** Triggers a person fires by hand: the only ones an unapproved version may run under. */
const byHand: readonly ExecutionTrigger[] = ['manual', 'extension', 'api'];

/**
 * Four-eyes rule at launch: an unapproved (or rejected) version runs only by hand, unstaged, on at most `threshold`
 * devices; schedules, detection rules, campaigns and staged bulk launches need an approved version.
 */
function checkUnapproved(
  action: Pick<ActionRow, 'slug'>, version: Pick<VersionRow, 'version' | 'approval'>, trigger: ExecutionTrigger, targets: number, staged: boolean, threshold: number,
): void {
  const name = `version ${version.version} of ${action.slug} is ${version.approval}`;
  const details = { actionVersion: version.version, approval: version.approval };
  if (!byHand.includes(trigger))
    throw new AppError(409, 'approval_required', `${name}: it needs approval by someone other than its author before a ${trigger} launch can run it`, details);
  if (targets > threshold || staged)
    throw new AppError(
      409,
      'approval_required',
      `${name}: until someone other than its author approves it, it runs only by hand on up to ${threshold} devices without a staged rollout (this launch: ${targets})`,
      details,
    );
}
