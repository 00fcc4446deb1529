import { bigint, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Append-only and hash-chained: hash = sha256(prevHash + canonical(entry)). Never updated, never deleted.
export const auditLog = pgTable('audit_log', {
  seq: bigint({ mode: 'number' }).primaryKey(),
  at: timestamp({ withTimezone: true }).notNull(),
  actor: text().notNull(),
  action: text().notNull(),
  target: text(),
  details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  prevHash: text().notNull(),
  hash: text().notNull(),
});
