/**
 * @module Agent releases and their rollout in rings. A release is one binary for one os/arch, signed offline with
 * the *update key* (Ed25519, not the server's envelope key) over {@link releaseSigningText}; agents pin the update
 * key's public half at enrollment and check every download against it. A rollout moves a version through rings
 * (a share of the devices, or the devices with some tags), one ring at a time, and pauses with a reason when a
 * ring's devices do not come back on the new version in time.
 */
import { z } from 'zod';
import { Id, Timestamp } from './common';
import { Tag } from './devices';

export const releaseOses = ['linux', 'windows', 'macos'] as const;
export const ReleaseOs = z.enum(releaseOses);
export type ReleaseOs = z.infer<typeof ReleaseOs>;
export const releaseArches = ['x64', 'arm64'] as const;
export const ReleaseArch = z.enum(releaseArches);
export type ReleaseArch = z.infer<typeof ReleaseArch>;

/** `major.minor.patch` with an optional pre-release (`1.2.0-rc.1`); build metadata is not allowed. */
export const AgentVersion = z.string().max(50).regex(/^\d{1,6}\.\d{1,6}\.\d{1,6}(-[0-9A-Za-z.-]{1,30})?$/, 'a version such as 1.4.2 or 1.5.0-rc.1');
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');
/** Largest binary a release may carry: the single-file agents are 85–125 MB. */
export const maxReleaseBytes = 512 * 1024 * 1024;

/**
 * The exact text the update key signs for a release: its version, platform, size, hash and whether it is a rollback,
 * so a signature cannot be moved to another version, platform or file, nor turn a downgrade into an allowed one.
 * @example releaseSigningText({ version: '1.2.0', os: 'linux', arch: 'x64', size: 10, sha256: 'ab…', rollback: false })
 * // "fixpoint-agent-release-v1\n1.2.0\nlinux\nx64\n10\nab…\nupgrade"
 */
export function releaseSigningText(r: { version: string; os: string; arch: string; size: number; sha256: string; rollback: boolean }): string {
  return ['fixpoint-agent-release-v1', r.version, r.os, r.arch, String(r.size), r.sha256, r.rollback ? 'rollback' : 'upgrade'].join('\n');
}

/** Compares two agent versions (semver precedence, pre-releases before their release). */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [core = '', pre] = v.split(/-(.*)/s);
    return { nums: core.split('.').map((n) => Number(n) || 0), pre };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return (x.nums[i] ?? 0) < (y.nums[i] ?? 0) ? -1 : 1;
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** What an admin sends to declare a release; the binary follows with `PUT /agent-releases/:id/binary`. */
export const AgentReleaseInput = z.strictObject({
  version: AgentVersion,
  os: ReleaseOs,
  arch: ReleaseArch,
  size: z.number().int().min(1).max(maxReleaseBytes),
  sha256: Sha256Hex,
  /** Base64 Ed25519 signature by the update key over {@link releaseSigningText}. */
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'a base64 Ed25519 signature (88 characters)'),
  /** Only a release marked as a rollback may take devices to a lower version. */
  rollback: z.boolean().default(false),
  notes: z.string().max(2000).default(''),
});
export type AgentReleaseInput = z.infer<typeof AgentReleaseInput>;

export const AgentRelease = z.object({
  id: Id,
  version: z.string(),
  os: ReleaseOs,
  arch: ReleaseArch,
  size: z.number().int(),
  sha256: z.string(),
  signature: z.string(),
  rollback: z.boolean(),
  notes: z.string(),
  /** False until the binary was uploaded and matched the size and hash. */
  uploaded: z.boolean(),
  uploadedBy: z.string(),
  createdAt: Timestamp,
  uploadedAt: Timestamp.nullable(),
});
export type AgentRelease = z.infer<typeof AgentRelease>;

/** One ring: a share of the devices (by a stable hash of the device id), or the devices with any of some tags. */
export const AgentRolloutRing = z.union([
  z.strictObject({ percent: z.number().min(0.01).max(100) }),
  z.strictObject({ tags: z.array(Tag).min(1).max(20) }),
]);
export type AgentRolloutRing = z.infer<typeof AgentRolloutRing>;

export const AgentRolloutInput = z.strictObject({
  version: AgentVersion,
  rings: z.array(AgentRolloutRing).min(1).max(10),
  /** How long a ring's devices have to come back on the new version before the rollout pauses. */
  windowSec: z.number().int().min(5).max(7 * 24 * 3600).default(1800),
});
export type AgentRolloutInput = z.infer<typeof AgentRolloutInput>;

/** `superseded`: a paused rollout a newer one replaced. */
export const agentRolloutStates = ['running', 'paused', 'completed', 'superseded'] as const;
export const AgentRolloutState = z.enum(agentRolloutStates);

const agentRolloutDeviceStates = ['pending', 'sent', 'updated', 'failed'] as const;
export const AgentRolloutDeviceState = z.enum(agentRolloutDeviceStates);

export const AgentRollout = z.object({
  id: Id,
  version: z.string(),
  rings: z.array(AgentRolloutRing),
  windowSec: z.number().int(),
  state: AgentRolloutState,
  /** Index of the ring being rolled out (every ring before it is done). */
  currentRing: z.number().int(),
  ringStartedAt: Timestamp,
  pausedReason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: Timestamp,
  /** Devices of the rings so far, by state. */
  /** Devices per state, every state listed (one property each, so the OpenAPI schema declares them). */
  progress: z.object(Object.fromEntries(agentRolloutDeviceStates.map((s) => [s, z.number().int()])) as Record<(typeof agentRolloutDeviceStates)[number], z.ZodNumber>),
});
export type AgentRollout = z.infer<typeof AgentRollout>;

export const AgentRolloutDevice = z.object({
  deviceId: Id,
  deviceName: z.string(),
  ring: z.number().int(),
  state: AgentRolloutDeviceState,
  agentVersion: z.string(),
  online: z.boolean(),
  sentAt: Timestamp.nullable(),
  detail: z.string().nullable(),
});
export type AgentRolloutDevice = z.infer<typeof AgentRolloutDevice>;

/** What an agent says about an update it was sent. */
export const updateOutcomes = ['refused', 'rolled_back', 'updated'] as const;
export const UpdateOutcome = z.enum(updateOutcomes);
export const updateRefusalReasons = [
  'unsigned', 'bad_signature', 'no_update_key', 'size_mismatch', 'hash_mismatch', 'downgrade', 'wrong_platform', 'download_failed', 'install_failed',
  'exited_at_start', 'no_reconnect',
] as const;
export const UpdateReason = z.enum(updateRefusalReasons);

export const UpdateReport = z.object({
  id: Id,
  deviceId: Id,
  releaseId: Id.nullable(),
  version: z.string(),
  outcome: UpdateOutcome,
  reason: UpdateReason.nullable(),
  message: z.string(),
  at: Timestamp,
});
export type UpdateReport = z.infer<typeof UpdateReport>;

/** Agent versions across the fleet: how many devices run each. */
export const FleetVersions = z.object({ versions: z.array(z.object({ version: z.string(), devices: z.number().int(), online: z.number().int() })) });
