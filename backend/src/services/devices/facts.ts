import { eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { devices } from '../../db/schema';
import { devicesLockedInOrder } from './lock';

/** Facts per UPDATE: facts are a few KB each, so a chunk stays a few MB of JSON. */
const chunk = 500;

/**
 * Replaces the agent-reported facts of several devices in one statement per chunk (each report is a full snapshot),
 * and keeps `os_version` in step with the `os.version` fact. Rows whose facts did not change are not written.
 * Returns the ids of the devices whose facts changed. Callers check the values with `findUnstorable` first.
 */
export async function storeFacts(ctx: AppContext, reports: readonly { deviceId: string; facts: Record<string, unknown> }[]): Promise<string[]> {
  // The last report per device wins.
  const latest = [...new Map(reports.map((r) => [r.deviceId, r.facts])).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const changed: string[] = [];
  for (let i = 0; i < latest.length; i += chunk) {
    const part = latest.slice(i, i + chunk).map(([id, facts]) => ({ id, facts }));
    const rows = await ctx.db
      .update(devices)
      .set({
        facts: sql`v.facts`,
        osVersion: sql`coalesce(nullif(left(v.facts #>> '{os,version}', 200), ''), ${devices.osVersion})`,
      })
      .from(sql`jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as v(id uuid, facts jsonb)`)
      .where(sql`${devices.id} = v.id and ${devices.facts} is distinct from v.facts and ${devicesLockedInOrder(part.map((p) => p.id))}`)
      .returning({ id: devices.id });
    changed.push(...rows.map((r) => r.id));
  }
  return changed;
}

/** What the channel needs to authenticate devices: their public keys, loaded for many devices in one query. */
export async function deviceKeys(ctx: AppContext, deviceIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(deviceIds)];
  if (!ids.length) return new Map();
  const rows = await ctx.db
    .select({ id: devices.id, publicKey: devices.publicKey })
    .from(devices)
    .where(ids.length === 1 ? eq(devices.id, ids[0]!) : inArray(devices.id, ids));
  return new Map(rows.map((r) => [r.id, r.publicKey]));
}
