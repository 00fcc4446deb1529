/**
 * @module The agent channel: one WebSocket per device at `AGENT_CHANNEL_PATH`, served through `@hono/node-ws`.
 *
 * `startAgentChannel` mounts the upgrade route on the app, starts presence for this instance, and installs the hub
 * as `ctx.dispatcher` (and its campaign side as `ctx.campaignDispatcher`), so launches, cancels and campaign requests
 * reach connected agents at once. Call `inject(server)` once the
 * HTTP server exists, and `stop()` before closing it (upgraded sockets would otherwise keep it open).
 *
 * @example
 * const channel = await startAgentChannel(ctx, app, cluster);
 * const server = serve({ fetch: app.fetch, port });
 * channel.inject(server);
 */
import type { ServerType } from '@hono/node-server';
import { createNodeWebSocket } from '@hono/node-ws';
import type { Hono } from 'hono';
import type { WebSocket } from 'ws';
import { AGENT_CHANNEL_PATH, CHANNEL_MAX_MESSAGE_BYTES } from '@fixpoint/protocol';
import type { Cluster } from '../cluster';
import { idleDispatcher, type AppContext } from '../context';
import type { AppEnv } from '../http/route';
import { Hub, type HubTimings } from './hub';
import { startPresence, type PresenceOptions } from './presence';
import { startRolloutRunner, type RolloutRunner } from '../services/releases';

export { Hub, type HubTimings } from './hub';

export interface AgentChannelOptions extends HubTimings {
  presence?: Omit<PresenceOptions, 'instanceId' | 'shared'>;
  /** How often the agent rollout runner takes a turn (default 5 s). */
  rolloutTickMs?: number;
}

export interface AgentChannel {
  hub: Hub;
  /** Moves agent rollouts and sends `update` to the devices connected here. */
  rollouts: RolloutRunner;
  /** Hooks WebSocket upgrades into the HTTP server. */
  inject(server: ServerType): void;
  /** Closes every agent connection, writes presence, and puts the idle dispatcher back. */
  stop(): Promise<void>;
}

export async function startAgentChannel(
  ctx: AppContext,
  app: Hono<AppEnv>,
  cluster: Cluster,
  options: AgentChannelOptions = {},
): Promise<AgentChannel> {
  const presence = await startPresence(ctx, { ...options.presence, instanceId: cluster.instanceId, shared: cluster.shared });
  const hub = new Hub(ctx, { ...options, cluster, presence });
  const { upgradeWebSocket, injectWebSocket, wss } = createNodeWebSocket({ app });
  // A hard ceiling on memory per frame; frames between the protocol limit and this get a payload_too_large reply,
  // larger ones close the connection (1009).
  wss.options.maxPayload = CHANNEL_MAX_MESSAGE_BYTES * 2;
  // Only onOpen: the hub listens on the raw socket itself (binary flag, pings, back-pressure), and the adapter
  // then builds no event object per message.
  app.get(AGENT_CHANNEL_PATH, upgradeWebSocket(() => ({ onOpen: (_event, ws) => void hub.open(ws.raw as WebSocket) })));
  ctx.dispatcher = hub;
  ctx.campaignDispatcher = hub.campaigns;
  const rollouts = startRolloutRunner(ctx, {
    tickMs: options.rolloutTickMs,
    connected: () => hub.connectedDevices(),
    send: (deviceId, body) => hub.sendControl(deviceId, body),
  });
  return {
    hub,
    rollouts,
    inject: (server) => injectWebSocket(server as Parameters<typeof injectWebSocket>[0]),
    async stop() {
      await rollouts.stop();
      if (ctx.dispatcher === hub) ctx.dispatcher = idleDispatcher;
      if (ctx.campaignDispatcher === hub.campaigns) delete ctx.campaignDispatcher;
      await hub.stop();
      await presence.stop();
    },
  };
}
