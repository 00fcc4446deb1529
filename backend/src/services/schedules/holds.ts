/**
 * @module When each device runs a firing: at once, at its stable offset in the spread window, or, in device time,
 * when its own clock reaches the occurrence. The backend fires early and signs the hold into each envelope
 * (`EnvelopePayload.notBefore`); agents keep the envelope until then, so no dispatch waits on the backend.
 */
import { createHash } from 'node:crypto';
import { scheduleLimits } from '@fixpoint/protocol';
import type { ScheduleRow } from './convert';
import { deviceOccurrence, wallClock } from './timing';

/**
 * A device's offset in a schedule's spread window, in whole seconds in [0, spreadSec): a hash of the schedule and
 * device ids, so it stays the same at every firing and devices land evenly over the window.
 */
export function spreadOffsetSec(scheduleId: string, deviceId: string, spreadSec: number): number {
  if (spreadSec <= 0) return 0;
  return createHash('sha256').update(`${scheduleId}:${deviceId}`).digest().readUInt32BE(0) % spreadSec;
}

type HoldingSchedule = Pick<ScheduleRow, 'id' | 'timezone' | 'spreadSec'>;

/** Whether a schedule's envelopes wait on the devices (so a delivered one is not pending work yet). */
export function holdsEnvelopes(schedule: HoldingSchedule): boolean {
  return schedule.timezone === 'device' || schedule.spreadSec > 0;
}

/** Each device's hold for the firing due at `dueAt`, or undefined when the schedule runs everywhere at once. */
export function notBeforeFor(schedule: HoldingSchedule, dueAt: Date): ((deviceId: string) => string) | undefined {
  if (!holdsEnvelopes(schedule)) return undefined;
  const offsetMs = (deviceId: string) => spreadOffsetSec(schedule.id, deviceId, schedule.spreadSec) * 1000;
  if (schedule.timezone === 'device') {
    const wall = deviceOccurrence(dueAt);
    return (deviceId) => wallClock(wall + offsetMs(deviceId));
  }
  return (deviceId) => new Date(dueAt.getTime() + offsetMs(deviceId)).toISOString();
}

/** Seconds a firing's executions must outlive the usual expiry: the longest hold any device may get. */
export function holdSec(schedule: HoldingSchedule): number {
  return (schedule.timezone === 'device' ? scheduleLimits.deviceHoldSec : 0) + schedule.spreadSec;
}
