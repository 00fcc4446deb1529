import { z } from 'zod';
import { Id, Platform, Timestamp } from './common';
import { Tag } from './devices';

export const permissions = [
  'actions:edit', 'actions:approve', 'actions:run', 'actions:run_unstaged', 'campaigns:edit', 'campaigns:trigger', 'devices:read', 'devices:edit', 'agents:update', 'admin',
] as const;
export const Permission = z.enum(permissions);
export type Permission = z.infer<typeof Permission>;

/**
 * Which devices a role reaches. Empty fields do not restrict; `all` reaches every device. A device is reached when
 * it has one of the tags, runs one of the platforms, and matches one of the saved queries (by id), for each field
 * that is not empty.
 */
export const DeviceScope = z.strictObject({
  all: z.boolean().default(false),
  tags: z.array(Tag).max(50).default([]),
  platforms: z.array(Platform).max(3).default([]),
  queries: z.array(Id).max(20).default([]),
});
export type DeviceScope = z.infer<typeof DeviceScope>;

/**
 * A `runnableActions` entry that stands for every action whose latest version allows the `manual` trigger (the ones
 * authors mean people to launch by hand), present and future: the built-in support role's default.
 */
export const manualActionsEntry = '@manual';

export const RoleName = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'lower-case letters, digits and dashes');
export const RoleInput = z.strictObject({
  name: RoleName,
  description: z.string().max(500).default(''),
  permissions: z.array(Permission).max(permissions.length),
  /** Action slugs this role may run, `"@manual"` for every action launchable by hand, or `["*"]` for every action. */
  runnableActions: z.array(z.string().max(64)).max(1000).default([]),
  deviceScope: DeviceScope.default({ all: true, tags: [], platforms: [], queries: [] }),
  /**
   * "May run what they may edit": holders with `actions:edit` may also run every action (as if the role had
   * `actions:run` and every action in `runnableActions`). Off by default.
   */
  editImpliesRun: z.boolean().default(false),
});
export type RoleInput = z.infer<typeof RoleInput>;
export const Role = RoleInput.extend({ id: Id, builtIn: z.boolean(), createdAt: Timestamp });
export type Role = z.infer<typeof Role>;

export const Email = z.email().max(254).transform((e) => e.toLowerCase());
export const Password = z.string().min(12, 'use at least 12 characters').max(256);

export const UserInput = z.strictObject({
  email: Email,
  name: z.string().min(1).max(200),
  password: Password,
  roles: z.array(RoleName).min(1).max(20),
});
export const UserPatch = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  password: Password.optional(),
  roles: z.array(RoleName).min(1).max(20).optional(),
  disabled: z.boolean().optional(),
});
export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  disabled: z.boolean(),
  createdAt: Timestamp,
  lastLoginAt: Timestamp.nullable(),
});
export type User = z.infer<typeof User>;

export const LoginRequest = z.strictObject({ email: Email, password: z.string().min(1).max(256) });

/** What the caller may do, resolved from its roles. */
export const Me = z.object({
  kind: z.enum(['user', 'client']),
  id: Id,
  name: z.string(),
  email: z.string().nullable(),
  roles: z.array(z.string()),
  permissions: z.array(Permission),
  runnableActions: z.array(z.string()),
  /** Until the user sets a new password, only /auth/me, /auth/password and sign-out answer. */
  mustChangePassword: z.boolean().optional(),
});
export type Me = z.infer<typeof Me>;

/** A signed-in user's own password change. */
export const PasswordChange = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: Password,
});
/** What a password change or reset ended: the user's other sessions and their personal access tokens. */
export const CredentialsEnded = z.object({
  sessionsEnded: z.number().int().min(0),
  tokensRevoked: z.number().int().min(0),
});
/** A user after an admin's change; the counts are there when the change ended credentials (password, disabled). */
export const UpdatedUser = User.extend(CredentialsEnded.partial().shape);

export const CreateToken = z.strictObject({
  name: z.string().min(1).max(100),
  /** Seconds until the token expires (default 30 days, at most one year). */
  expiresInSec: z.number().int().min(60).max(365 * 24 * 3600).default(30 * 24 * 3600),
  /** Narrows the token to these permissions (a subset of the user's); all of the user's when omitted. */
  permissions: z.array(Permission).optional(),
});
export const AccessToken = z.object({
  id: Id,
  name: z.string(),
  prefix: z.string(),
  permissions: z.array(Permission).nullable(),
  expiresAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export const CreatedToken = AccessToken.extend({ token: z.string() });

export const ApiClientInput = z.strictObject({
  name: z.string().min(1).max(100),
  roles: z.array(RoleName).min(1).max(20),
});
export const ApiClient = z.object({
  id: Id,
  clientId: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  disabled: z.boolean(),
  createdAt: Timestamp,
});
export const CreatedApiClient = ApiClient.extend({ clientSecret: z.string() });

export const TokenRequest = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1).max(100),
  client_secret: z.string().min(1).max(200),
  scope: z.string().max(500).optional(),
});
export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});

/** The browser extension's sign-in: a short-lived token limited to what the launcher panel needs. */
export const extensionPermissions = ['actions:run', 'devices:read', 'campaigns:trigger'] as const satisfies readonly Permission[];
export const ExtensionTokenRequest = z.strictObject({
  /** Seconds until the token expires (default 8 hours, at most 30 days). */
  expiresInSec: z.number().int().min(60).max(30 * 24 * 3600).default(8 * 3600),
});
