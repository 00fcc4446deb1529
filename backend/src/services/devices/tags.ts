/**
 * @module Device tags, the categories roles scope by: replaced on one device, or added and removed on many (a
 * query's devices or a list of ids), always within the caller's device scope and audited.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { Id, type BulkTagRequest, type BulkTagResult, type Device, type DevicePatch } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { anyId } from '../../db/any-id';
import { devices } from '../../db/schema';
import { devicesLockedInOrder } from './lock';
import { notFound } from '../../errors';
import type { Principal } from '../identity/rights';
import { appendAudit } from '../audit';
import { matchDevicePages, parseDeviceTarget } from '../automation/targets';
import { toDevice } from './convert';
import { deviceScopeCondition } from './scope';

/** Tags as one text parameter (tags never hold a comma), so the statement does not grow with them. */
const tagArray = (tags: readonly string[]): SQL => sql`string_to_array(${tags.join(',')}, ',')::text[]`;

/** Replaces one device's tags; a device outside the caller's scope is not found. */
export async function updateDevice(ctx: AppContext, input: { principal: Principal; id: string; patch: DevicePatch }): Promise<Device> {
  if (!Id.safeParse(input.id).success) throw notFound('device');
  const tags = [...new Set(input.patch.tags)].sort();
  const now = ctx.now();
  const row = await ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ tags: devices.tags, name: devices.name })
      .from(devices)
      .where(and(eq(devices.id, input.id), deviceScopeCondition(input.principal)))
      .for('update');
    if (!before) throw notFound('device');
    const [updated] = await tx.update(devices).set({ tags }).where(eq(devices.id, input.id)).returning();
    await appendAudit(
      tx,
      { actor: input.principal.label, action: 'device.update', target: `device:${input.id}`, details: { name: before.name, tags, previousTags: before.tags } },
      now,
    );
    return updated!;
  });
  ctx.deviceEvents.publish({ deviceId: row.id, kind: 'tags' });
  return toDevice(row);
}

/**
 * Adds and removes tags on the devices a query selects (every match, page by page) or on listed devices, within the
 * caller's scope. Listed devices outside the scope count as missing (404), as a launch does; one audit entry covers
 * the whole change.
 */
export async function tagDevices(ctx: AppContext, input: { principal: Principal; request: BulkTagRequest }): Promise<BulkTagResult> {
  const { request, principal } = input;
  const scope = deviceScopeCondition(principal);
  const now = ctx.now();
  let ids: string[];
  if (request.query !== undefined) {
    const target = parseDeviceTarget(request.query, now);
    ids = [];
    for await (const page of matchDevicePages(ctx, target, { scope })) ids.push(...page.map((d) => d.id));
  } else {
    const wanted = [...new Set(request.devices)];
    const found = await ctx.db.select({ id: devices.id }).from(devices).where(and(anyId(devices.id, wanted), scope));
    if (found.length < wanted.length) throw notFound(`${wanted.length - found.length} of ${wanted.length} devices`);
    ids = found.map((r) => r.id);
  }
  const add = [...new Set(request.add)];
  const remove = [...new Set(request.remove)];
  const changed: string[] = [];
  // in id order across the chunks too, as every statement that changes many devices locks them (`lock.ts`)
  ids.sort();
  await ctx.db.transaction(async (tx) => {
    // in chunks, so one statement never carries more ids than a page of matches
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      const rows = await tx
        .update(devices)
        .set({
          tags: sql`coalesce((select array_agg(distinct t order by t) from unnest(array_cat(${devices.tags}, ${tagArray(add)})) as t
            where t <> all(${tagArray(remove)})), '{}'::text[])`,
        })
        .where(and(devicesLockedInOrder(chunk), sql`(not ${devices.tags} @> ${tagArray(add)} or ${devices.tags} && ${tagArray(remove)})`))
        .returning({ id: devices.id });
      changed.push(...rows.map((r) => r.id));
    }
    await appendAudit(
      tx,
      {
        actor: principal.label,
        action: 'device.tags',
        target: request.query !== undefined ? `query:${request.query.slice(0, 200)}` : `devices:${ids.length}`,
        details: { add, remove, matched: ids.length, changed: changed.length, ...(request.query !== undefined ? { query: request.query } : { devices: ids }) },
      },
      now,
    );
  });
  for (const deviceId of changed) ctx.deviceEvents.publish({ deviceId, kind: 'tags' });
  return { matched: ids.length, changed: changed.length };
}
