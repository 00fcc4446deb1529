import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Platform } from '@fixpoint/protocol';

export const enrollmentTokens = pgTable('enrollment_tokens', {
  id: uuid().primaryKey().defaultRandom(),
  tokenHash: text().notNull().unique(),
  description: text().notNull().default(''),
  oneTime: boolean().notNull(),
  tags: text().array().notNull().default([]),
  maxUses: integer(),
  uses: integer().notNull().default(0),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  revokedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  createdBy: text().notNull(),
});

export const devices = pgTable(
  'devices',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    platform: text().$type<Platform>().notNull(),
    osVersion: text().notNull().default(''),
    agentVersion: text().notNull().default(''),
    // base64 SPKI DER Ed25519 key the device signs its connection challenge with
    publicKey: text().notNull(),
    tags: text().array().notNull().default([]),
    // agent-reported facts, and the latest value of every action output (`<action-slug>.<output>`)
    facts: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    outputs: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    online: boolean().notNull().default(false),
    lastSeen: timestamp({ withTimezone: true }),
    enrolledAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    enrollmentTokenId: uuid().references(() => enrollmentTokens.id, { onDelete: 'set null' }),
  },
  (t) => [index().on(t.name), index().on(t.platform), index().using('gin', t.tags), index().on(t.lastSeen)],
);

// Named devices queries: dynamic categories for launches and role scopes (`deviceScope.queries` holds their ids).
export const savedQueries = pgTable(
  'saved_queries',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull().unique(),
    description: text().notNull().default(''),
    query: text().notNull(),
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
);
