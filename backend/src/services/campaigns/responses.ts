/** @module Reading responses: paged for the console and API, whole for CSV and JSON export. */
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import type { CampaignDefinition, CampaignResponse, ResponseState } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { campaignRequests, campaignResponses, campaignVersions, devices } from '../../db/schema';
import type { Principal } from '../identity/rights';
import { toCampaignResponse } from './convert';
import { toCsv } from './csv';
import { requireCampaignRow } from './lookup';
import { deviceScopeCondition } from '../devices/scope';

export interface ListResponsesInput {
  idOrSlug: string;
  /** Only responses from devices in this principal's scope. */
  principal: Pick<Principal, 'scopes'>;
  state?: ResponseState | undefined;
  limit: number;
  offset: number;
}

/** The most rows one export holds; narrow by state or page through the API for more. */
const maxExportRows = 100_000;

function responsesQuery(ctx: AppContext, where: SQL | undefined) {
  return ctx.db
    .select({ response: campaignResponses, parameters: campaignRequests.parameters, triggeredAt: campaignRequests.createdAt, version: campaignVersions.version, device: devices.name })
    .from(campaignResponses)
    .innerJoin(campaignRequests, eq(campaignRequests.id, campaignResponses.requestId))
    .innerJoin(campaignVersions, eq(campaignVersions.id, campaignResponses.campaignVersionId))
    .innerJoin(devices, eq(devices.id, campaignResponses.deviceId))
    .where(where);
}

async function conditions(ctx: AppContext, input: Omit<ListResponsesInput, 'limit' | 'offset'>) {
  const row = await requireCampaignRow(ctx.db, input.idOrSlug);
  const where = and(
    eq(campaignResponses.campaignId, row.id),
    input.state ? eq(campaignResponses.state, input.state) : undefined,
    deviceScopeCondition(input.principal),
  );
  return { row, where };
}

/** Responses newest first. */
export async function listResponses(ctx: AppContext, input: ListResponsesInput): Promise<{ items: CampaignResponse[]; total: number; next: number | null }> {
  const { where } = await conditions(ctx, input);
  const rows = await responsesQuery(ctx, where).orderBy(desc(campaignResponses.receivedAt), desc(campaignResponses.id)).limit(input.limit).offset(input.offset);
  const [{ total } = { total: 0 }] = await ctx.db
    .select({ total: count() })
    .from(campaignResponses)
    .innerJoin(devices, eq(devices.id, campaignResponses.deviceId))
    .where(where);
  const end = input.offset + rows.length;
  return { items: rows.map((r) => toCampaignResponse(r.response, { parameters: r.parameters, createdAt: r.triggeredAt }, r.version)), total, next: end < total ? end : null };
}

export interface ExportedResponses {
  filename: string;
  contentType: string;
  text: string;
}

/**
 * All responses (up to `maxExportRows`) as CSV or JSON. CSV has one column per parameter and per question (choice
 * ids joined with `;`, free text as written), in the order of the latest version, then those only older versions had.
 */
export async function exportResponses(
  ctx: AppContext,
  input: Omit<ListResponsesInput, 'limit' | 'offset'> & { format: 'csv' | 'json' },
): Promise<ExportedResponses> {
  const { row, where } = await conditions(ctx, input);
  const rows = await responsesQuery(ctx, where).orderBy(desc(campaignResponses.receivedAt), desc(campaignResponses.id)).limit(maxExportRows);
  const items = rows.map((r) => ({ ...toCampaignResponse(r.response, { parameters: r.parameters, createdAt: r.triggeredAt }, r.version), deviceName: r.device }));
  const base = `${row.slug}-responses`;
  if (input.format === 'json') return { filename: `${base}.json`, contentType: 'application/json', text: JSON.stringify(items, null, 2) };

  const versions = await ctx.db.select({ definition: campaignVersions.definition }).from(campaignVersions).where(eq(campaignVersions.campaignId, row.id)).orderBy(desc(campaignVersions.version));
  const questionIds = new Set<string>();
  const parameterNames = new Set<string>();
  for (const { definition } of versions as { definition: CampaignDefinition }[]) {
    for (const q of definition.questions) if (q.type !== 'info') questionIds.add(q.id);
    for (const p of definition.parameters) parameterNames.add(p.name);
  }
  const header = ['response_id', 'request_id', 'device_id', 'device_name', 'user', 'state', 'version', 'language', 'triggered_at', 'responded_at', 'received_at'];
  const table: (string | number | null)[][] = [[...header, ...[...parameterNames].map((p) => `param:${p}`), ...questionIds]];
  for (const r of items)
    table.push([
      r.id, r.requestId, r.deviceId, r.deviceName, r.user, r.state, r.campaignVersion, r.language, r.triggeredAt, r.respondedAt, r.receivedAt,
      ...[...parameterNames].map((p) => r.parameters[p] ?? null),
      ...[...questionIds].map((q) => r.freeText[q] ?? r.answers[q]?.join(';') ?? null),
    ]);
  return { filename: `${base}.csv`, contentType: 'text/csv', text: toCsv(table) };
}
