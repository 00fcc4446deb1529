/**
 * @module Staged rollout of a launch: the targets split into cumulative waves; each wave must succeed well enough
 * before the next is released, and a circuit breaker (the one detection rules use) pauses it on a failure burst.
 */
import { z } from 'zod';
import { Id, Timestamp } from './common';
import { BreakerSettings } from './detections';
import { ExecutionCounts } from './execution-counts';

export const rolloutLimits = {
  maxWaves: 10,
  maxWaitSec: 7 * 86_400,
  /** Launches to more devices than this get the default rollout and must confirm the device count (a setting). */
  defaultThreshold: 50,
} as const;

/** The default rollout of a big launch: 1 %, 10 %, 50 %, then everyone. */
export const defaultWaves = [1, 10, 50, 100] as const;
/** The first wave must fully succeed by default, later ones 90 %. */
export const defaultMinSuccessRate = (wave: number) => (wave === 0 ? 1 : 0.9);

const Percent = z.number().gt(0).max(100);
const Rate = z.number().min(0).max(1);

/**
 * `rollout` of a launch or a schedule. `waves` are cumulative percents of the targets ending at 100, e.g.
 * `[1, 10, 50, 100]`; each wave gets at least one device. `minSuccessRate` is one rate for every wave or one per
 * wave (default 1.0 for the first, 0.9 after). `waitSec` pauses between a wave's end and the next one's release.
 */
export const RolloutInput = z
  .strictObject({
    waves: z.array(Percent).min(1).max(rolloutLimits.maxWaves).default([...defaultWaves]),
    minSuccessRate: z.union([Rate, z.array(Rate).min(1).max(rolloutLimits.maxWaves)]).optional(),
    waitSec: z.number().int().min(0).max(rolloutLimits.maxWaitSec).default(0),
    breaker: BreakerSettings.prefault({}),
  })
  .refine((r) => r.waves.every((w, i) => i === 0 || w > r.waves[i - 1]!), { message: 'waves must increase', path: ['waves'] })
  .refine((r) => r.waves.at(-1) === 100, { message: 'the last wave must be 100 (every target)', path: ['waves'] })
  .refine((r) => !Array.isArray(r.minSuccessRate) || r.minSuccessRate.length === r.waves.length, {
    message: 'give one rate per wave',
    path: ['minSuccessRate'],
  });
export type RolloutInput = z.infer<typeof RolloutInput>;

export const rolloutStates = ['running', 'paused', 'completed', 'canceled'] as const;
export const RolloutState = z.enum(rolloutStates);
export type RolloutState = z.infer<typeof RolloutState>;

/** One wave as `GET /requests/:id` shows it: its share, its devices (in the caller's scope) counted by status. */
export const RolloutWave = z.object({
  percent: z.number(),
  minSuccessRate: z.number(),
  devices: z.number().int(),
  counts: ExecutionCounts,
});

export const RolloutProgress = z.object({
  state: RolloutState,
  /** The wave running or last released, from 1. */
  currentWave: z.number().int(),
  waves: z.array(RolloutWave),
  waitSec: z.number().int(),
  breaker: BreakerSettings,
  /** Why it paused (a wave under its success rate, or the breaker); null unless paused. */
  pausedReason: z.string().nullable(),
  /** When the next wave is released, while waiting `waitSec`. */
  nextWaveAt: Timestamp.nullable(),
});
export type RolloutProgress = z.infer<typeof RolloutProgress>;

/**
 * Cumulative device counts per wave: a share of the targets, at least one device more than the wave before.
 * Waves that would get no device (fewer targets than waves) are dropped, so every wave has one.
 */
export function waveSizes(percents: readonly number[], targets: number): number[] {
  const sizes: number[] = [];
  for (const p of percents) {
    const prev = sizes.at(-1) ?? 0;
    if (prev >= targets) break;
    sizes.push(Math.min(targets, Math.max(prev + 1, Math.ceil((targets * p) / 100))));
  }
  if (sizes.length && sizes.at(-1)! < targets) sizes[sizes.length - 1] = targets;
  return sizes;
}

/**
 * A staged rollout changed state (live status, SSE event `request.rollout`): a wave ended and the server paused it,
 * released the next wave, started the wait before it, or completed it; or a person paused, resumed or canceled it.
 * `waves` counts every device of the launch; it is null for callers who see only part of the fleet (their counts are
 * in `GET /requests/:id`).
 */
export const RolloutEvent = RolloutProgress.extend({
  type: z.literal('request.rollout'),
  requestId: Id,
  waves: RolloutProgress.shape.waves.nullable(),
  at: Timestamp,
});
export type RolloutEvent = z.infer<typeof RolloutEvent>;
