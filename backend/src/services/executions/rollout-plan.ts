/**
 * @module Which launches are staged, and how: the rollout a launch asked for, the default one above the threshold,
 * or none, with the right to go unstaged and the typed device count checked. Pure, so the plan and tests share it.
 */
import {
  defaultMinSuccessRate, RolloutInput, waveSizes, type ExecutionTrigger, type LaunchRequest,
} from '@fixpoint/protocol';
import type { RolloutPlan } from '../../db/schema';
import { AppError, forbidden } from '../../errors';
import { can, type Principal } from '../identity/rights';

/** Triggers whose launches a person or a client asked for: they confirm big launches and get the default rollout. */
const stagedTriggers: readonly ExecutionTrigger[] = ['manual', 'extension', 'api', 'schedule'];

export interface RolloutDecision {
  plan: RolloutPlan;
  /** The wave (0-based) of each target, in target order. */
  waves: number[];
}

/**
 * Decides a launch's rollout for `targets` devices. Detection rules and campaigns have their own guards and are
 * never staged here. `serverSide` launches (schedules) skip the typed confirmation: their owner saved the rollout.
 */
export function decideRollout(
  input: { principal: Principal; request: LaunchRequest; trigger: ExecutionTrigger; serverSide: boolean; threshold: number },
  targets: number,
): RolloutDecision | null {
  const { principal, request, trigger, threshold } = input;
  if (!stagedTriggers.includes(trigger)) return null;
  const big = targets > threshold;
  if (big && !input.serverSide && request.confirmDeviceCount !== targets)
    throw new AppError(
      409,
      'confirmation_required',
      `this launch reaches ${targets} devices: confirm by sending confirmDeviceCount: ${targets}`,
      { deviceCount: targets },
    );
  if (request.rollout === null) {
    if (big && !can(principal, 'actions:run_unstaged'))
      throw forbidden(`launching to more than ${threshold} devices at once (rollout: null) needs the actions:run_unstaged permission`);
    return null;
  }
  const asked = request.rollout ?? (big ? RolloutInput.parse({}) : null);
  if (!asked) return null;
  const sizes = waveSizes(asked.waves, targets);
  const rate = (i: number) =>
    asked.minSuccessRate === undefined ? defaultMinSuccessRate(i) : Array.isArray(asked.minSuccessRate) ? asked.minSuccessRate[i]! : asked.minSuccessRate;
  const plan: RolloutPlan = {
    waves: sizes.map((size, i) => ({ percent: asked.waves[i]!, size, minSuccessRate: rate(i) })),
    waitSec: asked.waitSec,
    breaker: asked.breaker,
  };
  const waves: number[] = [];
  let wave = 0;
  for (let i = 0; i < targets; i++) {
    while (i >= sizes[wave]!) wave++;
    waves.push(wave);
  }
  return { plan, waves };
}
