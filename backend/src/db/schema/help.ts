import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { devices } from './devices';

// "Get help" from a device's tray: what the user wrote, the screenshot they chose to include, and the device's facts then.
export const helpRequests = pgTable(
  'help_requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    deviceId: uuid().notNull().references(() => devices.id, { onDelete: 'cascade' }),
    // the account the tray ran as, as the agent authenticated it
    user: text().notNull(),
    subject: text().notNull(),
    description: text().notNull(),
    // base64, as the agent sent it; null when the user did not include one
    screenshotMediaType: text(),
    screenshotData: text(),
    screenshotBytes: integer(),
    // a copy of the device's facts when the request arrived
    facts: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.createdAt), index().on(t.deviceId, t.createdAt)],
);
