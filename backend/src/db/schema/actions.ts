import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { ActionDefinition } from '@fixpoint/protocol';

export const actions = pgTable('actions', {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  // denormalized from the latest version, for listing and search
  name: text().notNull(),
  latestVersion: integer().notNull(),
  archived: boolean().notNull().default(false),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

// Immutable: a change to an action inserts a new version, never updates one.
export const actionVersions = pgTable(
  'action_versions',
  {
    id: uuid().primaryKey().defaultRandom(),
    actionId: uuid().notNull().references(() => actions.id, { onDelete: 'cascade' }),
    version: integer().notNull(),
    definition: jsonb().$type<ActionDefinition>().notNull(),
    // platform -> hex SHA-256 of the script text
    scriptHashes: jsonb().$type<Record<string, string>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: text().notNull(),
    // Four-eyes approval: the one part of a version that changes, once (unapproved → approved or rejected).
    // Versions that existed before approval did were marked approved by `system:migration`.
    approval: text().$type<'unapproved' | 'approved' | 'rejected'>().notNull().default('unapproved'),
    approvedBy: text(),
    approvedAt: timestamp({ withTimezone: true }),
    rejectionReason: text(),
    // platform -> base64 Ed25519 publisher signature made at approval (empty until then)
    publisherSignatures: jsonb().$type<Record<string, string>>().notNull().default({}),
  },
  (t) => [unique().on(t.actionId, t.version), index().on(t.actionId)],
);
