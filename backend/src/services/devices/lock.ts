/**
 * @module The order in which statements that change many devices lock their rows. An UPDATE locks rows in the order its
 * plan reaches them: the order of a joined list for one plan, heap order for a bitmap scan in another. Two statements
 * changing overlapping sets of devices in different orders then deadlock, and PostgreSQL aborts one of them (seen under
 * load between result ingest merging outputs and the channel's `last_seen` refresh). So every statement that changes
 * several devices restricts itself to `devicesLockedInOrder(ids)`: the rows locked in id order first, whatever plan
 * the update then takes.
 */
import { sql, type SQL } from 'drizzle-orm';
import { devices } from '../../db/schema';

export interface LockOptions {
  /** Leave out rows another transaction holds instead of waiting for them (for best-effort writes such as `last_seen`). */
  skipLocked?: boolean;
}

/**
 * A condition on `devices.id`: one of `ids`, each row locked in id order before the statement changes it. The lock is
 * `for no key update`, what an UPDATE of non-key columns takes anyway, so inserts referencing a device are not blocked.
 */
export function devicesLockedInOrder(ids: readonly string[], options: LockOptions = {}): SQL {
  const skip = options.skipLocked ? sql` skip locked` : sql``;
  return sql`${devices.id} in (select d.id from ${devices} d
    where d.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)
    order by d.id for no key update of d${skip})`;
}
