import type { Device, EnrollmentToken } from '@fixpoint/protocol';
import type { devices, enrollmentTokens } from '../../db/schema';

type DeviceRow = typeof devices.$inferSelect;
type TokenRow = typeof enrollmentTokens.$inferSelect;

/** The wire shape of a device; the device's public key stays server-side. */
export function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    name: row.name,
    platform: row.platform,
    osVersion: row.osVersion,
    agentVersion: row.agentVersion,
    tags: row.tags,
    online: row.online,
    lastSeen: row.lastSeen?.toISOString() ?? null,
    enrolledAt: row.enrolledAt.toISOString(),
    facts: row.facts,
    outputs: row.outputs,
  };
}

export function toEnrollmentToken(row: TokenRow): EnrollmentToken {
  return {
    id: row.id,
    description: row.description,
    oneTime: row.oneTime,
    tags: row.tags,
    maxUses: row.maxUses,
    uses: row.uses,
    expiresAt: row.expiresAt.toISOString(),
    revoked: row.revokedAt !== null,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  };
}
