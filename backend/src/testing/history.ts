/**
 * @module Old history in bulk for retention tests and the prune benchmark: requests, their executions and detection
 * runs written with `generate_series`, one statement per table, at a chosen time.
 */
import { sql } from 'drizzle-orm';
import { DetectionGuards, isTerminal, type ExecutionStatus } from '@fixpoint/protocol';
import type { AppContext } from '../context';
import { rowsOf } from '../db/rows';
import { actions, actionVersions, detectionEvents, detectionRules, executionRequests, executions, type DetectionEventStatus } from '../db/schema';

export interface HistoryOptions {
  /** Devices the executions go to, in turn. */
  deviceIds: readonly string[];
  /** Requests to create; executions are spread over them. */
  requests: number;
  executions: number;
  at: Date;
  status: ExecutionStatus;
  /** Rollout state of the requests (a rollout still moving keeps its executions). */
  rolloutState?: 'running' | 'paused' | 'completed';
}

/** Inserts requests and their executions at `at`; returns the request ids. */
export async function seedHistory(ctx: AppContext, options: HistoryOptions): Promise<string[]> {
  const [version] = await ctx.db
    .select({ actionId: actionVersions.actionId, versionId: actionVersions.id })
    .from(actionVersions)
    .innerJoin(actions, sql`${actions.id} = ${actionVersions.actionId}`)
    .limit(1);
  if (!version) throw new Error('seedHistory: seed an action first');
  const at = options.at.toISOString();
  const requests = rowsOf(await ctx.db.execute(sql`
    insert into ${executionRequests} (action_version_id, requested_by, trigger, principal_id, created_at, rollout_state)
    select ${version.versionId}, 'user:history@test.local', 'manual', 'user:history', ${at}::timestamptz, ${options.rolloutState ?? null}
    from generate_series(1, ${options.requests})
    returning id`)).map((r) => String(r.id));
  const finished = isTerminal(options.status);
  await ctx.db.execute(sql`
    insert into ${executions} (request_id, device_id, action_id, action_version_id, status, trigger, requested_by, signature,
      issued_at, expires_at, created_at, finished_at, exit_code, outputs)
    select (${JSON.stringify(requests)}::jsonb ->> ((n - 1) % ${requests.length})::int)::uuid,
      (${JSON.stringify(options.deviceIds)}::jsonb ->> ((n - 1) % ${options.deviceIds.length})::int)::uuid,
      ${version.actionId}, ${version.versionId}, ${options.status}, 'manual', 'user:history@test.local', 'sig',
      ${at}::timestamptz, ${at}::timestamptz + interval '7 days', ${at}::timestamptz,
      ${finished ? sql`${at}::timestamptz + interval '1 minute'` : null}, ${finished ? 0 : null}, ${finished ? sql`'{"restarted": true}'::jsonb` : null}
    from generate_series(1, ${options.executions}) n`);
  return requests;
}

/** A disabled detection rule on the first action, to hang runs on; returns its id. */
export async function seedRule(ctx: AppContext, name = 'history'): Promise<string> {
  const [action] = await ctx.db.select({ id: actions.id }).from(actions).limit(1);
  const now = ctx.now();
  const [rule] = await ctx.db
    .insert(detectionRules)
    .values({
      name, condition: 'online == true', actionId: action!.id, enabled: false, breakerResetAt: now, rolloutStartedAt: now, createdBy: 'user:test',
      guards: DetectionGuards.parse({}),
    })
    .returning({ id: detectionRules.id });
  return rule!.id;
}

/** Inserts `count` runs of a rule at `at`, spread over the devices. */
export async function seedDetectionRuns(
  ctx: AppContext,
  options: { ruleId: string; deviceIds: readonly string[]; count: number; at: Date; status: DetectionEventStatus },
): Promise<void> {
  await ctx.db.execute(sql`
    insert into ${detectionEvents} (rule_id, device_id, fired_at, attempt, status)
    select ${options.ruleId}, (${JSON.stringify(options.deviceIds)}::jsonb ->> ((n - 1) % ${options.deviceIds.length})::int)::uuid,
      ${options.at.toISOString()}::timestamptz, 1, ${options.status}
    from generate_series(1, ${options.count}) n`);
}
