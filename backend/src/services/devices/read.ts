import { and, arrayContains, asc, count, eq, ilike, inArray, type SQL } from 'drizzle-orm';
import { Id, type Device, type DeviceListQuery, type OutputType } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { actions, actionVersions, devices } from '../../db/schema';
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
  return { ...toDevice(row), outputTypes: await latestOutputTypes(ctx, Object.keys(row.outputs)) };
}

/** The declared type of each output key (`<action-slug>.<output>`), from each action's latest version. */
async function latestOutputTypes(ctx: AppContext, keys: readonly string[]): Promise<Record<string, OutputType>> {
  const slugs = [...new Set(keys.map((k) => k.slice(0, Math.max(0, k.indexOf('.')))).filter(Boolean))];
  if (!slugs.length) return {};
  const rows = await ctx.db
    .select({ slug: actions.slug, definition: actionVersions.definition })
    .from(actions)
    .innerJoin(actionVersions, and(eq(actionVersions.actionId, actions.id), eq(actionVersions.version, actions.latestVersion)))
    .where(inArray(actions.slug, slugs));
  const wanted = new Set(keys);
  const types: Record<string, OutputType> = {};
  for (const { slug, definition } of rows)
    for (const o of definition.outputs ?? []) if (wanted.has(`${slug}.${o.name}`)) types[`${slug}.${o.name}`] = o.type;
  return types;
}
