import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Answers, CampaignDefinition, CampaignRequestStatus, CampaignStatus, FreeText, ResponseState } from '@fixpoint/protocol';
import { devices, savedQueries } from './devices';
import { ownerColumns, pauseColumns } from './owner';

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull().unique(),
    // denormalized from the latest version, for listing and search
    name: text().notNull(),
    description: text().notNull().default(''),
    // lifecycle: draft → published → retired, and retired → published again
    status: text().$type<CampaignStatus>().notNull().default('draft'),
    latestVersion: integer().notNull(),
    // the version triggers send; edits after publishing wait for the next publish
    publishedVersion: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp({ withTimezone: true }),
    retiredAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.status), index().on(t.name)],
);

// Immutable: an edit inserts a new version; requests and responses point at the version that was sent.
export const campaignVersions = pgTable(
  'campaign_versions',
  {
    id: uuid().primaryKey().defaultRandom(),
    campaignId: uuid().notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
    version: integer().notNull(),
    definition: jsonb().$type<CampaignDefinition>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: text().notNull(),
  },
  (t) => [unique().on(t.campaignId, t.version)],
);

// One per device a trigger reached. At most one pending request per (campaign, device): a second trigger finds it.
export const campaignRequests = pgTable(
  'campaign_requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    campaignId: uuid().notNull().references(() => campaigns.id),
    campaignVersionId: uuid().notNull().references(() => campaignVersions.id),
    deviceId: uuid().notNull().references(() => devices.id, { onDelete: 'cascade' }),
    // the user name the trigger named, when it targeted a user rather than a device
    targetUser: text(),
    // resolved values (defaults applied), substituted into the texts on the device
    parameters: jsonb().$type<Record<string, string>>().notNull().default({}),
    status: text().$type<CampaignRequestStatus>().notNull().default('pending'),
    requestedBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('campaign_requests_one_pending').on(t.campaignId, t.deviceId).where(sql`status = 'pending'`),
    index().on(t.deviceId, t.status),
    index().on(t.status, t.expiresAt),
    index().on(t.campaignId, t.createdAt),
  ],
);

// What came back for a request; a postponed prompt adds one now and another when it is answered later.
export const campaignResponses = pgTable(
  'campaign_responses',
  {
    id: uuid().primaryKey().defaultRandom(),
    requestId: uuid().notNull().references(() => campaignRequests.id, { onDelete: 'cascade' }),
    campaignId: uuid().notNull().references(() => campaigns.id),
    campaignVersionId: uuid().notNull().references(() => campaignVersions.id),
    deviceId: uuid().notNull().references(() => devices.id, { onDelete: 'cascade' }),
    state: text().$type<ResponseState>().notNull(),
    answers: jsonb().$type<Answers>().notNull().default({}),
    freeText: jsonb().$type<FreeText>().notNull().default({}),
    // display name of the user who answered, as the tray reported it
    user: text(),
    language: text(),
    respondedAt: timestamp({ withTimezone: true }),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.campaignId, t.receivedAt), index().on(t.requestId, t.receivedAt), index().on(t.campaignId, t.state)],
);

// A standing trigger, evaluated by the schedule runner: a device query, and whether a device gets the campaign once or again.
export const campaignSchedules = pgTable(
  'campaign_schedules',
  {
    id: uuid().primaryKey().defaultRandom(),
    campaignId: uuid().notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
    query: text().notNull(),
    // narrowed to a saved query, read at each run (a saved query in use cannot be deleted)
    savedQueryId: uuid().references(() => savedQueries.id, { onDelete: 'restrict' }),
    mode: text().$type<'once' | 'repeat'>().notNull(),
    repeatAfterDays: integer(),
    parameters: jsonb().$type<Record<string, string>>().notNull().default({}),
    expirySec: integer(),
    enabled: boolean().notNull().default(true),
    // the runner triggers with the owner's current scope and permissions, and pauses when they are gone
    ...ownerColumns(),
    ...pauseColumns(),
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastRunAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.campaignId), index().on(t.enabled)],
);
