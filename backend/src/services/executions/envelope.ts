/**
 * Execution envelopes: the signed message an agent receives. The payload is rebuilt from the stored execution
 * row whenever it is sent, and the signature issued at launch is sent with it, so a row changed behind the
 * backend's back (or a secret already erased) no longer verifies on the agent.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import {
  canonicalJson, decodeStoredSignature, formatPublisherSignature, Id, isTerminal, limits,
  type Envelope, type EnvelopePayload, type Platform, type Shell,
} from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { anyId } from '../../db/any-id';
import { devices, executions } from '../../db/schema';
import { badRequest, conflict, notFound } from '../../errors';
import { versionsById, type VersionRow } from './version-cache';

type ExecutionRow = typeof executions.$inferSelect;
type DeviceRow = typeof devices.$inferSelect;
/** The execution fields an envelope binds. */
export type EnvelopeExecution = Pick<
  ExecutionRow, 'id' | 'deviceId' | 'actionVersionId' | 'parameters' | 'secretParameters' | 'issuedAt' | 'expiresAt' | 'notBefore'
> & Partial<Pick<ExecutionRow, 'origin'>>;
export type EnvelopeDevice = Pick<DeviceRow, 'id' | 'platform'>;

// Hashing a 600 KB script per envelope would dominate a 10,000-device fan-out; version rows are immutable
// and shared through the version cache, so the hash is computed once per row and platform.
const scriptHashes = new WeakMap<VersionRow, Map<Platform, string>>();

/** The script a version runs on a platform, with its hex SHA-256, or null when the version has none for it. */
export function scriptFor(version: VersionRow, platform: Platform): { shell: Shell; source: string; sha256: string } | null {
  const script = version.definition.scripts[platform];
  if (!script) return null;
  let hashes = scriptHashes.get(version);
  if (!hashes) scriptHashes.set(version, (hashes = new Map()));
  let sha256 = hashes.get(platform);
  if (!sha256) hashes.set(platform, (sha256 = createHash('sha256').update(script.source, 'utf8').digest('hex')));
  return { shell: script.shell, source: script.source, sha256 };
}

/**
 * Builds what the backend signs for one execution on one device. `parameters` carries every value, secret ones
 * included (the agent needs them); `secretParameters` names the secret ones so the agent keeps them out of logs.
 */
export function buildEnvelopePayload(execution: EnvelopeExecution, version: VersionRow, device: EnvelopeDevice): EnvelopePayload {
  if (execution.deviceId !== device.id) throw new Error(`execution ${execution.id} is not addressed to device ${device.id}`);
  if (execution.actionVersionId !== version.id) throw new Error(`execution ${execution.id} does not run version ${version.id}`);
  const definition = version.definition;
  const script = scriptFor(version, device.platform);
  if (!script) throw badRequest(`action ${definition.slug} has no script for ${device.platform}`);
  const secrets = execution.secretParameters ?? {};
  // Payloads are rebuilt on every send under the signature issued at launch, so an approval must not change the
  // payload of executions launched before it: only those issued after the approval carry its signature.
  const approvedBefore = version.approvedAt ? version.approvedAt.getTime() <= execution.issuedAt.getTime() : false;
  const publisherSignature = approvedBefore ? version.publisherSignatures[device.platform] : undefined;
  return {
    v: 1,
    executionId: execution.id,
    deviceId: device.id,
    actionSlug: definition.slug,
    actionVersionId: version.id,
    platform: device.platform,
    shell: script.shell,
    scriptSha256: script.sha256,
    // Only approved versions carry one; it names the version number it was made for.
    ...(publisherSignature ? { publisherSignature: formatPublisherSignature(version.version, publisherSignature) } : {}),
    runAs: definition.runAs ?? 'system',
    // absent means `wait`: payloads rebuilt for versions saved before the setting existed stay the ones signed
    ...(definition.runAs === 'user' && definition.whenNoUser && definition.whenNoUser !== 'wait' ? { whenNoUser: definition.whenNoUser } : {}),
    parameters: { ...execution.parameters, ...secrets },
    secretParameters: Object.keys(secrets).sort(),
    outputs: definition.outputs ?? [],
    timeoutSec: definition.timeoutSec ?? limits.defaultTimeoutSec,
    outputCapBytes: definition.outputCapBytes ?? limits.defaultOutputCapBytes,
    issuedAt: execution.issuedAt.toISOString(),
    expiresAt: execution.expiresAt.toISOString(),
    ...(execution.notBefore ? { notBefore: execution.notBefore } : {}),
    // rows launched before origins existed have none: their payloads stay the ones signed
    ...(execution.origin ? { origin: execution.origin } : {}),
  };
}

/** Ed25519 signature (base64) over `canonicalJson(payload)` with the backend's envelope key. */
export function signEnvelope(ctx: Pick<AppContext, 'signingKey'>, payload: EnvelopePayload): string {
  return ctx.signingKey.sign(canonicalJson(payload));
}

type EnvelopeSource = EnvelopeExecution & Pick<ExecutionRow, 'signature' | 'status'> & { platform: Platform };

/** Turns joined execution rows into envelopes, loading their versions once. Rows must not be terminal. */
export async function envelopesFromRows(ctx: AppContext, rows: readonly EnvelopeSource[]): Promise<Map<string, Envelope>> {
  const versions = await versionsById(ctx.db, rows.map((r) => r.actionVersionId));
  const out = new Map<string, Envelope>();
  for (const row of rows) {
    const version = versions.get(row.actionVersionId);
    if (!version) continue;
    const payload = buildEnvelopePayload(row, version, { id: row.deviceId, platform: row.platform });
    out.set(row.id, { payload, script: scriptFor(version, row.platform)!.source, ...decodeStoredSignature(row.signature), keyId: ctx.signingKey.keyId });
  }
  return out;
}

export const envelopeColumns = {
  id: executions.id,
  deviceId: executions.deviceId,
  actionVersionId: executions.actionVersionId,
  parameters: executions.parameters,
  secretParameters: executions.secretParameters,
  issuedAt: executions.issuedAt,
  expiresAt: executions.expiresAt,
  notBefore: executions.notBefore,
  origin: executions.origin,
  signature: executions.signature,
  status: executions.status,
  seq: executions.seq,
  platform: devices.platform,
};

/** Envelopes for several executions in one query; terminal and unknown ones are left out. */
export async function envelopesFor(ctx: AppContext, executionIds: readonly string[]): Promise<Map<string, Envelope>> {
  const ids = executionIds.filter((id) => Id.safeParse(id).success);
  if (!ids.length) return new Map();
  const rows = await ctx.db
    .select(envelopeColumns)
    .from(executions)
    .innerJoin(devices, eq(devices.id, executions.deviceId))
    .where(anyId(executions.id, ids));
  return envelopesFromRows(ctx, rows.filter((r) => !isTerminal(r.status)));
}

/**
 * The full signed envelope of one execution, as the agent channel sends it.
 * Throws not_found for an unknown execution and conflict once it has ended (its secrets are erased by then).
 */
export async function envelopeFor(ctx: AppContext, executionId: string): Promise<Envelope> {
  if (!Id.safeParse(executionId).success) throw notFound('execution');
  const [row] = await ctx.db
    .select(envelopeColumns)
    .from(executions)
    .innerJoin(devices, eq(devices.id, executions.deviceId))
    .where(eq(executions.id, executionId));
  if (!row) throw notFound('execution');
  if (isTerminal(row.status)) throw conflict(`execution ${executionId} is already ${row.status}`);
  const envelope = (await envelopesFromRows(ctx, [row])).get(row.id);
  if (!envelope) throw notFound('action version');
  return envelope;
}
