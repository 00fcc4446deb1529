import { bigint, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

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
  // How the hash was formed: 1 = before checkpoints (time at milliseconds), 2 = time at microseconds. Rows that
  // predate the column read 1; every new row states its version.
  version: smallint().notNull().default(1),
});

// One signed checkpoint per appended batch: (seq, hash, at) of the batch's last entry, signed with the backend key.
// The newest one is also the chain's high-water mark, so a seq is never handed out twice.
export const auditCheckpoints = pgTable('audit_checkpoint', {
  seq: bigint({ mode: 'number' }).primaryKey(),
  hash: text().notNull(),
  at: timestamp({ withTimezone: true }).notNull(),
  keyId: text().notNull(),
  signature: text().notNull(),
});
