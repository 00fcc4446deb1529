import { and, arrayContains, asc, count, eq, ilike, type SQL } from 'drizzle-orm';
import { Id, type Device, type DeviceListQuery } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { devices } from '../../db/schema';
import { notFound } from '../../errors';
import type { Principal } from '../identity/rights';
import { toDevice } from './convert';
import { deviceScopeCondition } from './scope';
import { pageOf } from '../page';

/** `%` and `_` in a search are literal characters, not patterns. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** Devices the principal may see, filtered and paged, by name. */
export async function listDevices(
  ctx: AppContext,
  input: { principal: Principal; query: DeviceListQuery },
): Promise<{ items: Device[]; total: number; next: number | null }> {
  const { query } = input;
  const conditions: (SQL | undefined)[] = [deviceScopeCondition(input.principal)];
  if (query.search) conditions.push(ilike(devices.name, `%${likeEscape(query.search)}%`));
  if (query.platform) conditions.push(eq(devices.platform, query.platform));
  if (query.tag) conditions.push(arrayContains(devices.tags, [query.tag]));
  if (query.online) conditions.push(eq(devices.online, query.online === 'true'));
  const where = and(...conditions);
  const rows = await ctx.db
    .select()
    .from(devices)
    .where(where)
    .orderBy(asc(devices.name), asc(devices.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total } = { total: 0 }] = await ctx.db.select({ total: count() }).from(devices).where(where);
  return pageOf(rows.map(toDevice), total, query.offset);
}

/** One device; a device outside the principal's scope is reported as not found, so its existence does not leak. */
export async function getDevice(ctx: AppContext, input: { principal: Principal; id: string }): Promise<Device> {
  if (!Id.safeParse(input.id).success) throw notFound('device');
  const [row] = await ctx.db
    .select()
    .from(devices)
    .where(and(eq(devices.id, input.id), deviceScopeCondition(input.principal)));
  if (!row) throw notFound('device');
  return toDevice(row);
}
