import { and, arrayOverlaps, inArray, or, sql, type Column, type SQL } from 'drizzle-orm';
import { devices } from '../../db/schema';
import type { Principal } from '../identity/rights';
import { deviceQueryCondition } from '../query/condition';

/**
 * The SQL condition on `devices` for the devices a principal may see: the union of its roles' scopes.
 * A scope with `all` reaches every device; otherwise a device matches when (no tags or the device has one of them)
 * and (no platforms or the device's platform is listed) and (no saved queries or the device matches one of them).
 * A scope that is neither `all` nor restricted by anything reaches nothing, so a role without a scope never widens
 * access by accident. A saved query that is gone, or no longer compiles, matches nothing.
 *
 * Returns `undefined` when nothing restricts (drizzle's `and()` drops it), so callers write
 * `where(and(deviceScopeCondition(principal), …))`. Every device-scoped query (devices, executions, live events)
 * goes through this one helper.
 */
export function deviceScopeCondition(principal: Pick<Principal, 'scopes'>): SQL | undefined {
  const parts: SQL[] = [];
  for (const scope of principal.scopes) {
    if (scope.all) return undefined;
    const tags = scope.tags ?? [];
    const platforms = scope.platforms ?? [];
    const queries = scope.queries ?? [];
    const ids = scope.deviceIds;
    if (!tags.length && !platforms.length && !queries.length && !ids) continue;
    const conditions: SQL[] = [];
    if (ids) conditions.push(ids.length ? inArray(devices.id, [...ids]) : sql`false`);
    if (tags.length) conditions.push(arrayOverlaps(devices.tags, tags));
    if (platforms.length) conditions.push(inArray(devices.platform, platforms));
    if (queries.length) conditions.push(or(...(scope.queryTexts ?? []).map(savedQueryCondition)) ?? sql`false`);
    parts.push(and(...conditions)!);
  }
  return parts.length ? or(...parts)! : sql`false`;
}

/**
 * A saved query's condition. Relative times (`last_seen > 1d`) count from now, like the query does when it runs.
 * It was checked when saved, so a failure here means it changed underneath: it then reaches nothing.
 */
function savedQueryCondition(text: string): SQL {
  try {
    return sql`(${deviceQueryCondition(text, new Date())})`;
  } catch {
    return sql`false`;
  }
}

/** Whether the principal reaches every device, so scoped checks can be skipped. */
export function seesAllDevices(principal: Pick<Principal, 'scopes'>): boolean {
  return principal.scopes.some((s) => s.all === true);
}

/**
 * A condition that `column` (a device id in another table: executions, detection events, …) names a device the
 * principal may see, as a semi-join on `devices`; `undefined` when it sees every device. For counts and lists over
 * tables that refer to devices.
 */
export function deviceIdInScope(column: Column, principal: Pick<Principal, 'scopes'>): SQL | undefined {
  const scope = deviceScopeCondition(principal);
  return scope && sql`${column} in (select ${devices.id} from ${devices} where ${scope})`;
}
