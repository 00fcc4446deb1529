/**
 * @module A device user runs a self-service fix: the launch goes out under a principal that reaches only that device
 * and only that action, with the `self_service` trigger (which the action version must allow), after the action's
 * cooldown and daily limit. The launch's audit entry names the user (`device-user:<account>`) and the trigger.
 */
import { and, count, eq, gt, max, min } from 'drizzle-orm';
import { SelfServiceSettings } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { executions } from '../../db/schema';
import { AppError, forbidden } from '../../errors';
import { getActionVersionForLaunch } from '../actions/launch';
import { launchExecutions } from '../executions';
import type { Principal } from '../identity/rights';

export interface RunSelfServiceInput {
  deviceId: string;
  /** The action's slug. */
  action: string;
  /** The account of the tray that asked. */
  user: string;
}

const dayMs = 86_400_000;

/** The principal of a device's user: `actions:run` on one action, on one device. */
export function deviceUserPrincipal(deviceId: string, user: string, slug: string): Principal {
  const label = `device-user:${user}`;
  return {
    kind: 'device_user',
    id: `device-user:${deviceId}:${user.toLowerCase()}`,
    name: user,
    email: null,
    label,
    via: 'agent',
    roles: [],
    permissions: new Set(['actions:run']),
    runnableActions: new Set([slug]),
    scopes: [{ deviceIds: [deviceId] }],
  };
}

const rateLimited = (message: string, retryAfterSec: number) =>
  new AppError(429, 'rate_limited', message, { retryAfterSec: Math.max(1, Math.ceil(retryAfterSec)) });

// Checks and launch of one device and action go one at a time here, so two quick clicks cannot both pass the limits.
const inFlight = new Map<string, Promise<unknown>>();

/** Launches the fix; throws `rate_limited` (429, `details.retryAfterSec`) inside the cooldown or past the daily limit. */
export async function runSelfService(ctx: AppContext, input: RunSelfServiceInput): Promise<{ executionId: string }> {
  const key = `${input.deviceId}\u0000${input.action}`;
  const before = inFlight.get(key) ?? Promise.resolve();
  const mine = before.catch(() => {}).then(() => launchOnce(ctx, input));
  inFlight.set(key, mine);
  try {
    return await mine;
  } finally {
    if (inFlight.get(key) === mine) inFlight.delete(key);
  }
}

async function launchOnce(ctx: AppContext, input: RunSelfServiceInput): Promise<{ executionId: string }> {
  const { action, version } = await getActionVersionForLaunch(ctx, input.action);
  const definition = version.definition;
  if (!definition.triggers.includes('self_service') || !definition.selfService) throw forbidden(`action ${action.slug} is not a self-service fix`);
  const settings = SelfServiceSettings.parse(definition.selfService);
  const now = ctx.now();
  const [used] = await ctx.db
    .select({ runs: count(), last: max(executions.createdAt), first: min(executions.createdAt) })
    .from(executions)
    .where(
      and(
        eq(executions.deviceId, input.deviceId),
        eq(executions.actionId, action.id),
        eq(executions.trigger, 'self_service'),
        gt(executions.createdAt, new Date(now.getTime() - dayMs)),
      ),
    );
  const last = used?.last ? new Date(used.last).getTime() : null;
  if (last !== null && settings.cooldownSec > 0 && now.getTime() - last < settings.cooldownSec * 1000)
    throw rateLimited(`this fix ran on this device less than ${settings.cooldownSec} s ago`, (last + settings.cooldownSec * 1000 - now.getTime()) / 1000);
  if ((used?.runs ?? 0) >= settings.dailyLimit) {
    const first = used?.first ? new Date(used.first).getTime() : now.getTime();
    throw rateLimited(`this fix can run ${settings.dailyLimit} times a day on this device`, (first + dayMs - now.getTime()) / 1000);
  }
  const { response } = await launchExecutions(ctx, {
    principal: deviceUserPrincipal(input.deviceId, input.user, action.slug),
    request: { action: action.slug, devices: [input.deviceId], parameters: {}, triggerInfo: { reason: 'self-service from the tray' } },
    trigger: 'self_service',
  });
  return { executionId: response.executions[0]!.id };
}
