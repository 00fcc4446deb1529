import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { ReleaseArch, ReleaseOs, AgentRolloutRing } from '@fixpoint/protocol';
import { devices } from './devices';

export const agentReleases = pgTable(
  'agent_releases',
  {
    id: uuid().primaryKey().defaultRandom(),
    version: text().notNull(),
    os: text().$type<ReleaseOs>().notNull(),
    arch: text().$type<ReleaseArch>().notNull(),
    // what the update key signed (with version, os, arch and rollback): the uploaded file must match size and hash
    size: bigint({ mode: 'number' }).notNull(),
    sha256: text().notNull(),
    signature: text().notNull(),
    rollback: boolean().notNull().default(false),
    notes: text().notNull().default(''),
    // the binary lives in FIXPOINT_DATA_DIR/releases/<id>; uploadedAt is set once it is there and matched
    uploadedBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    uploadedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique().on(t.version, t.os, t.arch)],
);

export const agentRollouts = pgTable(
  'agent_rollouts',
  {
    id: uuid().primaryKey().defaultRandom(),
    version: text().notNull(),
    rings: jsonb().$type<AgentRolloutRing[]>().notNull(),
    windowSec: integer().notNull(),
    // the runner claims running rollouts with FOR UPDATE SKIP LOCKED, so one instance moves each at a time
    state: text().$type<'running' | 'paused' | 'completed' | 'superseded'>().notNull().default('running'),
    currentRing: integer().notNull().default(0),
    ringStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    pausedReason: text(),
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.state)],
);

export const agentRolloutDevices = pgTable(
  'agent_rollout_devices',
  {
    rolloutId: uuid().notNull().references(() => agentRollouts.id, { onDelete: 'cascade' }),
    deviceId: uuid().notNull().references(() => devices.id, { onDelete: 'cascade' }),
    ring: integer().notNull(),
    releaseId: uuid().references(() => agentReleases.id),
    // pending: to send when the device is connected; sent: waiting for it to come back on the version
    state: text().$type<'pending' | 'sent' | 'updated' | 'failed'>().notNull().default('pending'),
    sentAt: timestamp({ withTimezone: true }),
    detail: text(),
  },
  (t) => [primaryKey({ columns: [t.rolloutId, t.deviceId] }), index().on(t.state, t.deviceId)],
);

export const agentUpdateReports = pgTable(
  'agent_update_reports',
  {
    id: uuid().primaryKey().defaultRandom(),
    deviceId: uuid().notNull().references(() => devices.id, { onDelete: 'cascade' }),
    releaseId: uuid(),
    version: text().notNull(),
    outcome: text().$type<'refused' | 'rolled_back' | 'updated'>().notNull(),
    reason: text(),
    message: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.at), index().on(t.deviceId)],
);
