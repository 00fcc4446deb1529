import { z } from 'zod';
import { OutputType } from './actions';
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
  /**
   * The declared type of each latest output, keyed like `outputs` (`<action-slug>.<output>`), from the action's
   * latest version, so clients format values (sizes, ratios, durations) without reading the action. Only on
   * `GET /devices/{id}`.
   */
  outputTypes: z.record(z.string(), OutputType).optional(),
});
export type Device = z.infer<typeof Device>;

/** What `PATCH /devices/:id` changes: the device's tags (its categories), replaced as a whole. */
export const DevicePatch = z.strictObject({
  tags: z.array(Tag).max(50),
});
export type DevicePatch = z.infer<typeof DevicePatch>;

/**
 * Adds and removes tags on many devices: those a devices query selects, or those listed by id, within the
 * caller's device scope. A tag both added and removed is refused.
 */
export const BulkTagRequest = z
  .strictObject({
    query: z.string().min(1).max(10_000).optional(),
    devices: z.array(Id).min(1).max(10_000).optional(),
    add: z.array(Tag).max(20).default([]),
    remove: z.array(Tag).max(20).default([]),
  })
  .superRefine((r, check) => {
    if ((r.query === undefined) === (r.devices === undefined))
      check.addIssue({ code: 'custom', path: ['query'], message: 'give either query or devices' });
    if (!r.add.length && !r.remove.length) check.addIssue({ code: 'custom', path: ['add'], message: 'add or remove at least one tag' });
    const both = r.add.filter((t) => r.remove.includes(t));
    if (both.length) check.addIssue({ code: 'custom', path: ['remove'], message: `a tag cannot be added and removed at once: ${both.join(', ')}` });
  });
export type BulkTagRequest = z.infer<typeof BulkTagRequest>;
export const BulkTagResult = z.object({
  /** Devices selected (in the caller's scope). */
  matched: z.number().int().min(0),
  /** Devices whose tags changed. */
  changed: z.number().int().min(0),
});
export type BulkTagResult = z.infer<typeof BulkTagResult>;

/** A named devices query: a dynamic category for launches, schedules, detection rules and role scopes. */
export const SavedQueryInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(500).default(''),
  /** A devices query, e.g. `devices | where tags contains "site:paris" and platform == "windows"`. */
  query: z.string().min(1).max(10_000),
});
export type SavedQueryInput = z.infer<typeof SavedQueryInput>;
export const SavedQuery = SavedQueryInput.extend({
  id: Id,
  /** Whether the query can scope a role: only `where`, `sort` and `list` stages. */
  scopable: z.boolean(),
  /** Roles whose device scope uses this query; changing it changes what they reach. */
  usedByRoles: z.array(z.string()),
  createdBy: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SavedQuery = z.infer<typeof SavedQuery>;

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
