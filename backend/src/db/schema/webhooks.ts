import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

export const webhooks = pgTable('webhooks', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  url: text().notNull(),
  // HMAC-SHA256 key for the X-Fixpoint-Signature header
  secret: text().notNull(),
  events: jsonb().$type<string[]>().notNull(),
  enabled: boolean().notNull().default(true),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    webhookId: uuid().notNull().references(() => webhooks.id, { onDelete: 'cascade' }),
    event: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    // `<event>:<execution id>` for execution events, so one event is enqueued once per webhook even when it is
    // published twice or seen by several instances; null for test pings and redeliveries
    dedupeKey: text(),
    // queue state: a worker claims a due row by pushing next_attempt_at forward (a lease), then records the outcome
    status: text().$type<'pending' | 'delivered' | 'failed'>().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    lastStatusCode: integer(),
    lastError: text(),
    nextAttemptAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp({ withTimezone: true }),
  },
  // created_at alone: the retention prune takes the oldest finished deliveries across webhooks
  (t) => [index().on(t.status, t.nextAttemptAt), index().on(t.webhookId, t.createdAt), index().on(t.createdAt), unique().on(t.webhookId, t.dedupeKey)],
);
