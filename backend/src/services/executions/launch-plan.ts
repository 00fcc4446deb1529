import { and, inArray } from 'drizzle-orm';
import {
  resolveParameters, limits, type ExecutionTrigger, type LaunchRequest, type ParameterValue, type Platform,
} from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { devices } from '../../db/schema';
import { AppError, badRequest, forbidden, invalid } from '../../errors';
import { canRunAction, type Principal } from '../../http/principal';
import { deviceScopeCondition } from '../devices/scope';
import { scriptFor } from './envelope';
import { getActionVersionForLaunch } from '../actions/launch';
import type { ActionRow } from '../actions/convert';
import { rememberVersion, type VersionRow } from './version-cache';

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
}

/**
 * Checks a launch request against the action version, the caller's rights and device scope, and the devices'
 * platforms. Reads only; throws the first problem found.
 */
export async function planLaunch(
  ctx: AppContext,
  principal: Principal,
  request: LaunchRequest,
  serverTrigger?: ExecutionTrigger,
): Promise<LaunchPlan> {
  const { action, version } = await getActionVersionForLaunch(ctx, request.action, request.actionVersion);
  rememberVersion(ctx.db, version);
  const definition = version.definition;
  if (!canRunAction(principal, action.slug)) throw forbidden(`you may not run action ${action.slug}`);

  const trigger = serverTrigger ?? request.trigger ?? (principal.kind === 'client' ? 'api' : 'manual');
  const allowed: readonly string[] = definition.triggers ?? [];
  if (!allowed.includes(trigger))
    throw forbidden(`action ${action.slug} cannot be launched by the ${trigger} trigger (allowed: ${allowed.join(', ') || 'none'})`);

  // Out-of-scope devices count as missing: the caller learns how many, never which exist.
  const ids = [...new Set(request.devices)];
  const targets = await ctx.db
    .select({ id: devices.id, platform: devices.platform })
    .from(devices)
    .where(and(inArray(devices.id, ids), deviceScopeCondition(principal)));
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

  const now = ctx.now();
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
  };
}
