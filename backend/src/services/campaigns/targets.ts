/** @module Resolving trigger targets (device ids, user names) to devices, and whether the caller's scope reaches them. */
import { inArray, sql, type SQL } from 'drizzle-orm';
import type { TriggerCampaign } from '@fixpoint/protocol';
import type { Tx } from '../../db';
import { devices } from '../../db/schema';

export interface ResolvedTarget {
  kind: 'device' | 'user';
  value: string;
  /** Every device the target names (for a user: where the user is logged in). */
  found: string[];
  /** The part of `found` the caller's scope reaches. */
  inScope: string[];
  /** A named device where nobody is logged in, as its agent last reported. */
  nobodyLoggedIn?: boolean;
}

const chunk = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/**
 * One entry per distinct target, devices first, in the order given. Users are matched case-insensitively against
 * the `logged_in_user` fact the agent reports, so a user is reached on the devices where they are signed in.
 */
export async function resolveTargets(tx: Tx, scope: SQL | undefined, trigger: Pick<TriggerCampaign, 'devices' | 'users'>): Promise<ResolvedTarget[]> {
  const inScope = scope ? sql<boolean>`coalesce((${scope}), false)` : sql<boolean>`true`;
  const deviceIds = [...new Set(trigger.devices.map((id) => id.toLowerCase()))];
  const known = new Map<string, { inScope: boolean; nobody: boolean }>();
  // the agent reports the fact as null when nobody is logged in; a device that never reported it is not "nobody"
  const nobody = sql<boolean>`coalesce(${devices.facts} -> 'logged_in_user' = 'null'::jsonb or ${devices.facts} ->> 'logged_in_user' = '', false)`;
  for (const ids of chunk(deviceIds, 5000)) {
    const rows = await tx.select({ id: devices.id, inScope, nobody }).from(devices).where(inArray(devices.id, ids));
    for (const r of rows) known.set(r.id, r);
  }
  const targets: ResolvedTarget[] = deviceIds.map((id) => {
    const reach = known.get(id);
    return { kind: 'device', value: id, found: reach ? [id] : [], inScope: reach?.inScope ? [id] : [], nobodyLoggedIn: reach?.nobody === true };
  });

  const byUser = new Map<string, ResolvedTarget>();
  for (const name of trigger.users) {
    const key = name.toLowerCase();
    if (!byUser.has(key)) byUser.set(key, { kind: 'user', value: name, found: [], inScope: [] });
  }
  if (byUser.size) {
    const loggedIn = sql<string>`lower(${devices.facts} ->> 'logged_in_user')`;
    const rows = await tx
      .select({ id: devices.id, user: loggedIn, inScope })
      .from(devices)
      .where(inArray(loggedIn, [...byUser.keys()]))
      .orderBy(devices.id);
    for (const r of rows) {
      const target = byUser.get(r.user);
      if (!target) continue;
      target.found.push(r.id);
      if (r.inScope) target.inScope.push(r.id);
    }
  }
  return [...targets, ...byUser.values()];
}
