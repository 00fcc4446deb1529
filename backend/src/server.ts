/** @module Starts a backend: database, keys, seed, HTTP server. Shared by main.ts and the process-level tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app';
import { startAgentChannel, type AgentChannel, type AgentChannelOptions } from './channel';
import { startCluster, type Cluster } from './cluster';
import type { Config } from './config';
import { idleDispatcher, type AppContext } from './context';
import { openDatabase, type Database } from './db';
import { createDeviceEventBus, createEventBus, relayExecutionEvents } from './events';
import { loadOrCreateSigningKey } from './keys';
import { registerAuditSigner } from './services/audit';
import { createLogger } from '@fixpoint/protocol/log';
import { cacheUnapprovedVersions, startExpirySweeper } from './services/executions';
import { startCampaignSweeper } from './services/campaigns';
import { seed } from './services/identity/seed';
import { startScheduler } from './services/schedules';
import { startDetectionEngine } from './services/detection';
import { startRolloutEngine } from './services/rollouts';
import { startWebhookDispatcher } from './services/webhooks';
import { startRetention } from './services/retention';

export const version: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

export interface RunningBackend {
  ctx: AppContext;
  database: Database;
  server: ServerType;
  url: string;
  /** The agent channel (its hub is `ctx.dispatcher`). */
  channel: AgentChannel;
  /** The link to other instances on the same PostgreSQL database. */
  cluster: Cluster;
  stop(): Promise<void>;
}

export interface StartBackendOptions {
  /** Agent channel timings (tests shorten them). */
  channel?: AgentChannelOptions;
  /** How often overdue executions are expired (default 5 s). */
  expirySweepMs?: number;
  /** How often running rollouts are swept for waits that ran out (default 5 s). */
  rolloutSweepMs?: number;
}

export async function createContext(config: Config, database: Database): Promise<AppContext> {
  const signingKey = loadOrCreateSigningKey(config.dataDir);
  registerAuditSigner(database.db, signingKey);
  if (!config.requireApproval) cacheUnapprovedVersions(database.db);
  return {
    db: database.db,
    dbKind: database.kind,
    config,
    signingKey,
    events: createEventBus(),
    deviceEvents: createDeviceEventBus(),
    dispatcher: idleDispatcher,
    log: createLogger(config.logLevel),
    version,
    now: () => new Date(),
  };
}

export async function startBackend(config: Config, options: StartBackendOptions = {}): Promise<RunningBackend> {
  const startLog = createLogger(config.logLevel);
  const database = await openDatabase({
    url: config.databaseUrl,
    pgliteDir: join(config.dataDir, 'pgdata'),
    waitSec: config.databaseWaitSec,
    prepare: config.databasePrepare,
    onWait: (line, retryInMs) => startLog.warn(`${line}; retrying in ${(retryInMs / 1000).toFixed(1)} s`),
  });
  const ctx = await createContext(config, database);
  const seeded = await seed(ctx);
  if (seeded?.generatedPassword) {
    // Printed once, to the console only: the first admin's one-time password.
    process.stdout.write(
      `\nFirst admin created: ${seeded.adminEmail}\nOne-time password:   ${seeded.generatedPassword}\nIt opens the console once, to set your own password.\n\n`,
    );
  }
  const cluster = await startCluster(database, ctx.log);
  const stopRelay = relayExecutionEvents(ctx.events, cluster);
  const app = createApp(ctx);
  const channel = await startAgentChannel(ctx, app, cluster, options.channel);
  // Offline devices never report, so expiry is swept on a timer rather than on contact.
  const sweeper = startExpirySweeper(ctx, options.expirySweepMs ?? 5000);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  channel.inject(server);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const webhooks = startWebhookDispatcher(ctx);
  const campaignSweeper = startCampaignSweeper(ctx);
  const scheduler = startScheduler(ctx);
  const detection = startDetectionEngine(ctx);
  const rollouts = startRolloutEngine(ctx, { ...(options.rolloutSweepMs && { sweepMs: options.rolloutSweepMs }) });
  const retention = startRetention(ctx);
  ctx.log.info('listening', { url, database: database.kind, version, instance: cluster.instanceId });
  return {
    ctx,
    database,
    server,
    url,
    channel,
    cluster,
    async stop() {
      // Agent sockets first: upgraded connections would keep the HTTP server from closing.
      await channel.stop();
      await new Promise<void>((resolve) => {
        // Live-status (SSE) streams never end by themselves: give requests in flight a moment, then cut the rest.
        const force = setTimeout(() => (server as { closeAllConnections?: () => void }).closeAllConnections?.(), 1000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
      });
      await sweeper.stop();
      await scheduler.stop();
      await detection.stop();
      await rollouts.stop();
      await webhooks.stop();
      await campaignSweeper.stop();
      await retention.stop();
      stopRelay();
      await cluster.stop();
      await database.close();
    },
  };
}
