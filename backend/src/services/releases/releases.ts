/** @module Agent releases: declared with the update key's signature, then their binary uploaded and served. */
import { createPublicKey, verify } from 'node:crypto';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { releaseSigningText, type AgentRelease, type AgentReleaseInput } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { agentReleases, devices } from '../../db/schema';
import { AppError, conflict, notFound } from '../../errors';
import { appendAudit } from '../audit';
import { deviceScopeCondition } from '../devices/scope';
import type { Principal } from '../identity/rights';
import { pageOf, type Page } from '../page';
import { openBinary, storeBinary } from './storage';

type ReleaseRow = typeof agentReleases.$inferSelect;

export function toRelease(row: ReleaseRow): AgentRelease {
  return {
    id: row.id,
    version: row.version,
    os: row.os,
    arch: row.arch,
    size: row.size,
    sha256: row.sha256,
    signature: row.signature,
    rollback: row.rollback,
    notes: row.notes,
    uploaded: row.uploadedAt !== null,
    uploadedBy: row.uploadedBy,
    createdAt: row.createdAt.toISOString(),
    uploadedAt: row.uploadedAt?.toISOString() ?? null,
  };
}

/** Whether the configured update key signed this release. */
export function signedByUpdateKey(updatePublicKey: string, release: Parameters<typeof releaseSigningText>[0] & { signature: string }): boolean {
  const key = createPublicKey({ key: Buffer.from(updatePublicKey, 'base64'), format: 'der', type: 'spki' });
  try {
    return verify(null, Buffer.from(releaseSigningText(release)), key, Buffer.from(release.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Declares a release; refused unless the update key signed exactly these fields. */
export async function createRelease(ctx: AppContext, input: { actor: string; release: AgentReleaseInput }): Promise<AgentRelease> {
  const { release, actor } = input;
  if (!ctx.config.updatePublicKey)
    throw new AppError(409, 'conflict', 'no update key is configured (FIXPOINT_UPDATE_PUBLIC_KEY); agents would have nothing to check releases against');
  if (!signedByUpdateKey(ctx.config.updatePublicKey, release))
    throw new AppError(400, 'validation_failed', 'the signature is not the update key’s over this version, platform, size, hash and rollback flag');
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(agentReleases)
      .values({ ...release, uploadedBy: actor, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict(`a release ${release.version} for ${release.os}-${release.arch} exists already`);
    await appendAudit(tx, { actor, action: 'agent_release.create', target: `agent-release:${row.id}`, details: { ...release, notes: undefined } }, now);
    return toRelease(row);
  });
}

/** Stores the binary of a declared release once it matches the declared size and SHA-256. */
export async function uploadReleaseBinary(ctx: AppContext, input: { actor: string; id: string; body: ReadableStream<Uint8Array> | null }): Promise<AgentRelease> {
  const [row] = await ctx.db.select().from(agentReleases).where(eq(agentReleases.id, input.id));
  if (!row) throw notFound('release');
  if (row.uploadedAt) throw conflict('this release’s binary is uploaded already; releases are immutable');
  if (!input.body) throw new AppError(400, 'validation_failed', 'send the binary as the body (application/octet-stream)');
  await storeBinary(ctx.config.dataDir, row.id, input.body, row);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [updated] = await tx.update(agentReleases).set({ uploadedAt: now }).where(eq(agentReleases.id, row.id)).returning();
    await appendAudit(tx, { actor: input.actor, action: 'agent_release.upload', target: `agent-release:${row.id}`, details: { size: row.size, sha256: row.sha256 } }, now);
    return toRelease(updated!);
  });
}

export async function listReleases(ctx: AppContext, query: { limit: number; offset: number }): Promise<Page<AgentRelease>> {
  const [rows, [total]] = await Promise.all([
    ctx.db.select().from(agentReleases).orderBy(desc(agentReleases.createdAt)).limit(query.limit).offset(query.offset),
    ctx.db.select({ n: count() }).from(agentReleases),
  ]);
  return pageOf(rows.map(toRelease), total?.n ?? 0, query.offset);
}

/** The binary of an uploaded release, as a response body. */
export async function releaseBinary(ctx: AppContext, id: string): Promise<Response> {
  const [row] = await ctx.db.select().from(agentReleases).where(eq(agentReleases.id, id));
  const file = row?.uploadedAt ? openBinary(ctx.config.dataDir, row.id) : null;
  if (!file) throw notFound('release binary');
  return new Response(file.stream, {
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(file.size), 'x-content-sha256': row!.sha256 },
  });
}

/** How many devices (in the caller's scope) run each agent version, and how many of them are online. */
export async function fleetVersions(ctx: AppContext, principal: Principal): Promise<{ versions: { version: string; devices: number; online: number }[] }> {
  const rows = await ctx.db
    .select({ version: devices.agentVersion, devices: count(), online: sql<number>`count(*) filter (where ${devices.online})`.mapWith(Number) })
    .from(devices)
    .where(and(deviceScopeCondition(principal)))
    .groupBy(devices.agentVersion)
    .orderBy(desc(devices.agentVersion));
  return { versions: rows };
}
