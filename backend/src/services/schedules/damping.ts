/**
 * @module Failure damping: a device whose last N runs of a schedule all failed is left out until some time after
 * the last of them. Read from the executions at each firing, so a success (or the run history's pruning) lifts it
 * with no state of its own.
 */
import { sql } from 'drizzle-orm';
import type { ScheduleDamping } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { rowsOf } from '../../db/rows';
import { executions } from '../../db/schema';
import { countedStatuses, failedStatuses } from '../automation';

export interface Damped {
  failures: number;
  until: Date;
}

const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);

/**
 * The devices a schedule (its executions are requested by `label`) skips now: those whose last `failures` counted
 * runs all failed, the last of them less than `skipSec` ago. Each comes with until when it is skipped.
 */
export async function dampedDevices(ctx: AppContext, label: string, damping: ScheduleDamping, now: Date): Promise<Map<string, Damped>> {
  const since = new Date(now.getTime() - damping.skipSec * 1000).toISOString();
  const rows = rowsOf(
    await ctx.db.execute(sql`
      select device_id, (extract(epoch from max(finished_at)) * 1000)::float8 as last_ms
      from (
        select ${executions.deviceId} as device_id, ${executions.status} as status, ${executions.finishedAt} as finished_at,
          row_number() over (partition by ${executions.deviceId} order by ${executions.finishedAt} desc, ${executions.seq} desc) as rn
        from ${executions}
        where ${executions.requestedBy} = ${label} and ${executions.status} in (${list(countedStatuses)}) and ${executions.finishedAt} is not null
      ) recent
      where rn <= ${damping.failures}
      group by device_id
      having count(*) = ${damping.failures} and bool_and(status in (${list(failedStatuses)})) and max(finished_at) > ${since}::timestamptz`),
  );
  const out = new Map<string, Damped>();
  for (const r of rows) {
    out.set(String(r.device_id), { failures: damping.failures, until: new Date(Number(r.last_ms) + damping.skipSec * 1000) });
  }
  return out;
}
