/** @module Help requests as far as the caller's device scope reaches, newest first, and one request's screenshot. */
import { and, count, desc, eq } from 'drizzle-orm';
import type { HelpRequest } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { devices, helpRequests } from '../../db/schema';
import { notFound } from '../../errors';
import type { Principal } from '../identity/rights';
import { deviceIdInScope } from '../devices/scope';

export interface ListHelpRequestsInput {
  principal: Principal;
  device?: string | undefined;
  limit: number;
  offset: number;
}

const columns = {
  id: helpRequests.id,
  deviceId: helpRequests.deviceId,
  deviceName: devices.name,
  user: helpRequests.user,
  subject: helpRequests.subject,
  description: helpRequests.description,
  screenshotMediaType: helpRequests.screenshotMediaType,
  screenshotBytes: helpRequests.screenshotBytes,
  facts: helpRequests.facts,
  createdAt: helpRequests.createdAt,
};
type Row = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] | null };

function toHelpRequest(r: Row): HelpRequest {
  return {
    id: r.id!,
    deviceId: r.deviceId!,
    deviceName: r.deviceName ?? '',
    user: r.user!,
    subject: r.subject!,
    description: r.description!,
    screenshot: r.screenshotMediaType && r.screenshotBytes !== null ? { mediaType: r.screenshotMediaType, bytes: r.screenshotBytes } : null,
    facts: r.facts ?? {},
    createdAt: r.createdAt!.toISOString(),
  };
}

export async function listHelpRequests(ctx: AppContext, input: ListHelpRequestsInput): Promise<{ items: HelpRequest[]; total: number; next: number | null }> {
  const where = and(deviceIdInScope(helpRequests.deviceId, input.principal), input.device ? eq(helpRequests.deviceId, input.device.toLowerCase()) : undefined);
  const rows = await ctx.db
    .select(columns)
    .from(helpRequests)
    .innerJoin(devices, eq(devices.id, helpRequests.deviceId))
    .where(where)
    .orderBy(desc(helpRequests.createdAt), desc(helpRequests.id))
    .limit(input.limit)
    .offset(input.offset);
  const [{ total } = { total: 0 }] = await ctx.db.select({ total: count() }).from(helpRequests).where(where);
  const end = input.offset + rows.length;
  return { items: rows.map(toHelpRequest), total, next: end < total ? end : null };
}

export async function getHelpRequest(ctx: AppContext, input: { principal: Principal; id: string }): Promise<HelpRequest> {
  const [row] = await ctx.db
    .select(columns)
    .from(helpRequests)
    .innerJoin(devices, eq(devices.id, helpRequests.deviceId))
    .where(and(eq(helpRequests.id, input.id.toLowerCase()), deviceIdInScope(helpRequests.deviceId, input.principal)));
  // one outside the caller's scope is as unknown as a missing one
  if (!row) throw notFound(`help request ${input.id}`);
  return toHelpRequest(row);
}

/** The screenshot's bytes and media type; not found when there is none or the request is out of scope. */
export async function helpScreenshot(ctx: AppContext, input: { principal: Principal; id: string }): Promise<{ mediaType: string; bytes: Buffer }> {
  const [row] = await ctx.db
    .select({ mediaType: helpRequests.screenshotMediaType, data: helpRequests.screenshotData })
    .from(helpRequests)
    .where(and(eq(helpRequests.id, input.id.toLowerCase()), deviceIdInScope(helpRequests.deviceId, input.principal)));
  if (!row?.mediaType || !row.data) throw notFound(`screenshot of help request ${input.id}`);
  return { mediaType: row.mediaType, bytes: Buffer.from(row.data, 'base64') };
}
