import { and, arrayOverlaps, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { DeviceScope } from '@fixpoint/protocol';
import { devices } from '../../db/schema';
import type { Principal } from '../../http/principal';

/**
 * The SQL condition on `devices` for the devices a principal reaches: the union of its roles' scopes. `all` reaches
 * every device (no condition); otherwise a device matches when (no tags, or it has one of them) and (no platforms,
 * or its platform is listed). A scope restricting nothing and not `all` reaches nothing.
 * Same semantics as the device service's scope helper, which campaigns will use once both are in one tree.
 */
export function campaignScopeCondition(principal: Pick<Principal, 'scopes'>): SQL | undefined {
  const parts: SQL[] = [];
  for (const scope of principal.scopes as readonly Partial<DeviceScope>[]) {
    if (scope.all) return undefined;
    const tags = scope.tags ?? [];
    const platforms = scope.platforms ?? [];
    if (!tags.length && !platforms.length) continue;
    const conditions: SQL[] = [];
    if (tags.length) conditions.push(arrayOverlaps(devices.tags, tags));
    if (platforms.length) conditions.push(inArray(devices.platform, platforms));
    parts.push(and(...conditions)!);
  }
  return parts.length ? or(...parts)! : sql`false`;
}
