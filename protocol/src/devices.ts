import { z } from 'zod';
import { Id, page, Platform, Timestamp } from './common';
import { hostnameProblem } from './hostname';

export const Tag = z.string().regex(/^[a-z0-9][a-z0-9:._-]{0,63}$/, 'lower-case tag, e.g. site:paris');

/** A device's name as enrollment accepts it: a host name (see hostname.ts), surrounding white space ignored. */
export const DeviceName = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    const problem = hostnameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: `name must be the device's host name: ${problem}` });
  });

export const Device = z.object({
  id: Id,
  name: z.string(),
  platform: Platform,
  osVersion: z.string(),
  agentVersion: z.string(),
  tags: z.array(z.string()),
  online: z.boolean(),
  lastSeen: Timestamp.nullable(),
  enrolledAt: Timestamp,
  facts: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
});
export type Device = z.infer<typeof Device>;

export const CreateEnrollmentToken = z.strictObject({
  description: z.string().max(200).default(''),
  /** One-time tokens are spent by the first enrollment. */
  oneTime: z.boolean().default(true),
  /** Seconds until the token expires (default 7 days). */
  expiresInSec: z.number().int().min(60).max(365 * 24 * 3600).default(7 * 24 * 3600),
  /** Tags given to every device enrolled with this token; roles scope devices by tag. */
  tags: z.array(Tag).max(20).default([]),
  maxUses: z.number().int().min(1).max(1_000_000).optional(),
});
export type CreateEnrollmentToken = z.infer<typeof CreateEnrollmentToken>;

export const EnrollmentToken = z.object({
  id: Id,
  description: z.string(),
  oneTime: z.boolean(),
  tags: z.array(z.string()),
  maxUses: z.number().int().nullable(),
  uses: z.number().int(),
  expiresAt: Timestamp,
  revoked: z.boolean(),
  createdAt: Timestamp,
  createdBy: z.string(),
});
export type EnrollmentToken = z.infer<typeof EnrollmentToken>;

/** Returned once, at creation: the plain token is never stored and cannot be shown again. */
export const CreatedEnrollmentToken = EnrollmentToken.extend({ token: z.string() });
export type CreatedEnrollmentToken = z.infer<typeof CreatedEnrollmentToken>;
export const EnrollmentTokenList = page(EnrollmentToken);

/** Sent by `fixpoint-agent enroll`. The device proves later connections with the private half of `publicKey`. */
export const EnrollRequest = z.strictObject({
  token: z.string().min(10).max(200),
  /** Base64 SPKI DER Ed25519 public key created by the agent. */
  publicKey: z.string().min(40).max(200),
  name: DeviceName,
  platform: Platform,
  osVersion: z.string().max(200),
  agentVersion: z.string().max(50),
  facts: z.record(z.string(), z.unknown()).default({}),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

export const EnrollResponse = z.object({
  deviceId: Id,
  /** Base64 SPKI DER of the backend's envelope-signing key; the agent pins it. */
  serverPublicKey: z.string(),
  serverKeyId: z.string(),
  protocolVersion: z.number().int(),
  /** Base64 SPKI DER of the update key agent releases are signed with; the agent pins it. Null when none is set. */
  updatePublicKey: z.string().nullable().optional(),
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

export const DeviceListQuery = z.object({
  search: z.string().max(200).optional(),
  platform: Platform.optional(),
  tag: z.string().max(64).optional(),
  online: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type DeviceListQuery = z.infer<typeof DeviceListQuery>;
export const DeviceList = page(Device);
