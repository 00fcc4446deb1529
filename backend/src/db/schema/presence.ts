import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { devices } from './devices';

// Backend processes sharing the database, each with a random id per start. An instance whose heartbeat stops
// (killed, partitioned) is swept by the others, and the devices it held go offline unless they reconnected elsewhere.
export const backendInstances = pgTable('backend_instances', {
  id: text().primaryKey(),
  startedAt: timestamp({ withTimezone: true }).notNull(),
  heartbeatAt: timestamp({ withTimezone: true }).notNull(),
});

// Which instance holds each connected device's channel. `devices.online` is kept equal to "has a row here",
// so queries read one column; this table is what makes that column correct with several instances.
export const devicePresence = pgTable(
  'device_presence',
  {
    deviceId: uuid()
      .primaryKey()
      .references(() => devices.id, { onDelete: 'cascade' }),
    instanceId: text().notNull(),
    connectedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index().on(t.instanceId)],
);
