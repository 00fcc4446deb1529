import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { DeviceScope, Permission } from '@fixpoint/protocol';

/** A role's device scope as stored; rows written before saved-query scopes have no `queries`. */
export type StoredDeviceScope = Omit<DeviceScope, 'queries'> & { queries?: string[] };

const now = () => timestamp({ withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: uuid().primaryKey().defaultRandom(),
  email: text().notNull().unique(),
  name: text().notNull(),
  // scrypt$N$r$p$salt$hash, see services/identity/password.ts
  passwordHash: text().notNull(),
  disabled: boolean().notNull().default(false),
  // Set for a generated first-admin password and an admin's reset: the user must choose a new one before anything else.
  mustChangePassword: boolean().notNull().default(false),
  createdAt: now(),
  lastLoginAt: timestamp({ withTimezone: true }),
});

export const roles = pgTable('roles', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull().unique(),
  description: text().notNull().default(''),
  permissions: jsonb().$type<Permission[]>().notNull(),
  // action slugs, or ['*']
  runnableActions: jsonb().$type<string[]>().notNull(),
  deviceScope: jsonb().$type<StoredDeviceScope>().notNull(),
  // "may run what they may edit": actions:edit also runs every action
  editImpliesRun: boolean().notNull().default(false),
  builtIn: boolean().notNull().default(false),
  createdAt: now(),
});

export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    roleId: uuid().notNull().references(() => roles.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] }), index().on(t.roleId)],
);

// Console sessions: the cookie holds a random token, the table its SHA-256. Ended sessions stay a while with
// `revokedAt`, so a late request can be told why it was refused.
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text().primaryKey(),
    userId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: now(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.userId)],
);

// Personal access tokens (the extension signs in with one).
export const accessTokens = pgTable(
  'access_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    prefix: text().notNull(),
    tokenHash: text().notNull().unique(),
    permissions: jsonb().$type<Permission[] | null>(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: now(),
  },
  (t) => [index().on(t.userId)],
);

// OAuth2 client-credentials clients and their short-lived bearer tokens.
export const apiClients = pgTable('api_clients', {
  id: uuid().primaryKey().defaultRandom(),
  clientId: text().notNull().unique(),
  name: text().notNull(),
  secretHash: text().notNull(),
  disabled: boolean().notNull().default(false),
  createdAt: now(),
});

export const apiClientRoles = pgTable(
  'api_client_roles',
  {
    apiClientId: uuid().notNull().references(() => apiClients.id, { onDelete: 'cascade' }),
    roleId: uuid().notNull().references(() => roles.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.apiClientId, t.roleId] }), index().on(t.roleId)],
);

export const clientTokens = pgTable(
  'client_tokens',
  {
    tokenHash: text().primaryKey(),
    apiClientId: uuid().notNull().references(() => apiClients.id, { onDelete: 'cascade' }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    // Set when the client's secret is rotated.
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.expiresAt)],
);
