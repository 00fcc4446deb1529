/** @module Fixtures for schedules and detection rules: an action that automated triggers may run, and execution look-ups. */
import { asc, eq, inArray } from 'drizzle-orm';
import type { ActionDefinitionInput, ExecutionStatus } from '@fixpoint/protocol';
import type { AppContext } from '../context';
import { devices, executions } from '../db/schema';
import { transitionExecution } from '../services/executions';
import { seedAction } from './fleet';

/** An action with windows and linux scripts (no macOS), allowed for schedules and detection rules. */
export function automatedAction(overrides: Partial<ActionDefinitionInput> = {}): ActionDefinitionInput {
  return {
    slug: 'collect-disk',
    name: 'Collect disk usage',
    purpose: 'data_collection',
    scripts: { windows: { source: 'Get-PSDrive C\n' }, linux: { source: 'df -h /\n' } },
    parameters: [
      { name: 'Depth', type: 'int', default: 1 },
      { name: 'Token', type: 'string', secret: true },
    ],
    outputs: [{ name: 'free_pct', type: 'int' }],
    triggers: ['manual', 'schedule', 'detection'],
    expirySec: 3600,
    ...overrides,
  };
}

export const seedAutomatedAction = (ctx: AppContext, overrides: Partial<ActionDefinitionInput> = {}) => seedAction(ctx, automatedAction(overrides));

/** Executions requested by a principal label (e.g. `schedule:<id>`), oldest first. */
export async function executionsBy(ctx: AppContext, label: string) {
  return ctx.db.select().from(executions).where(eq(executions.requestedBy, label)).orderBy(asc(executions.seq));
}

/** Moves an execution to a terminal status the way an agent report would (through running when that is allowed). */
export async function finishExecution(ctx: AppContext, row: { id: string; deviceId: string }, to: ExecutionStatus, error?: string, exitCode?: number | null) {
  if (to === 'succeeded' || to === 'failed' || to === 'timed_out')
    await transitionExecution(ctx, { executionId: row.id, deviceId: row.deviceId, to: 'running' });
  return transitionExecution(ctx, { executionId: row.id, deviceId: row.deviceId, to, ...(error !== undefined && { error }), ...(exitCode !== undefined && { exitCode }) });
}

/** Writes facts on devices directly (route tests may not import the schema). */
export async function setDeviceFacts(ctx: AppContext, ids: readonly string[], facts: Record<string, unknown>): Promise<void> {
  await ctx.db.update(devices).set({ facts }).where(inArray(devices.id, ids as string[]));
}
