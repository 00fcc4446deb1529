/**
 * @module Fan-out between backend instances that share one PostgreSQL database, over LISTEN/NOTIFY.
 *
 * An instance publishes what the others must act on at once: device ids with new work (`dispatch`), device ids whose
 * pending campaign requests changed (`campaigns`), and execution
 * events (`events`, which carry cancels and staged rollouts' state changes too). Items published in one turn of the event loop leave in one
 * statement, chunked into payloads under PostgreSQL's 8000-byte limit. Each payload names its sender, which skips
 * its own. On PGlite there is exactly one process, so nothing is sent at all.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from './db';
import type { Logger } from '@fixpoint/protocol/log';

export type ClusterTopic = 'dispatch' | 'events' | 'campaigns';

const channels: Record<ClusterTopic, string> = { dispatch: 'fixpoint_dispatch', events: 'fixpoint_events', campaigns: 'fixpoint_campaigns' };
/** Below PostgreSQL's 8000-byte payload limit, with room for the sender id. */
export const maxNotifyBytes = 7800;

export interface Cluster {
  /** This process's id, random per start. */
  readonly instanceId: string;
  /** True when other instances may share the database (PostgreSQL); PGlite belongs to one process. */
  readonly shared: boolean;
  /** Queues JSON values for the other instances; everything queued in one turn goes out in one statement. */
  publish(topic: ClusterTopic, items: readonly unknown[]): void;
  /** Receives the items another instance published (unvalidated JSON: check before use). */
  subscribe(topic: ClusterTopic, handler: (items: unknown[]) => void): () => void;
  /** Runs when the listening connection came back after a loss: notifications sent meanwhile were missed. */
  onResync(handler: () => void): () => void;
  /** Stops listening and waits for notifications being sent. */
  stop(): Promise<void>;
}

/** Splits items into NOTIFY payloads `{"i":sender,"d":[…]}` of at most `maxBytes` each; larger single items are dropped. */
export function chunkPayloads(instanceId: string, items: readonly unknown[], maxBytes = maxNotifyBytes): { payloads: string[]; dropped: number } {
  const head = `{"i":${JSON.stringify(instanceId)},"d":[`;
  const payloads: string[] = [];
  let dropped = 0;
  let parts: string[] = [];
  let size = Buffer.byteLength(head) + 2;
  const base = size;
  for (const item of items) {
    const json = JSON.stringify(item);
    const bytes = Buffer.byteLength(json) + 1;
    if (base + bytes > maxBytes) {
      dropped++;
      continue;
    }
    if (size + bytes > maxBytes) {
      payloads.push(`${head}${parts.join(',')}]}`);
      parts = [];
      size = base;
    }
    parts.push(json);
    size += bytes;
  }
  if (parts.length) payloads.push(`${head}${parts.join(',')}]}`);
  return { payloads, dropped };
}

/** Starts listening on every topic (PostgreSQL only) and returns the cluster link. */
export async function startCluster(database: Database, log: Logger, options: { instanceId?: string } = {}): Promise<Cluster> {
  const instanceId = options.instanceId ?? randomUUID();
  const shared = database.kind === 'postgres';
  const handlers: Record<ClusterTopic, Set<(items: unknown[]) => void>> = { dispatch: new Set(), events: new Set(), campaigns: new Set() };
  const resyncHandlers = new Set<() => void>();
  const queued: Record<ClusterTopic, unknown[]> = { dispatch: [], events: [], campaigns: [] };
  let flushScheduled = false;
  let sending: Promise<void> = Promise.resolve();
  let stopped = false;

  const receive = (topic: ClusterTopic, payload: string) => {
    let message: { i?: unknown; d?: unknown };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      return log.warn('cluster: ignored a notification that is not JSON', { topic });
    }
    if (message?.i === instanceId || !Array.isArray(message?.d)) return;
    for (const handler of handlers[topic]) {
      try {
        handler(message.d);
      } catch (error) {
        log.error('cluster: handler failed', { topic, error: String(error) });
      }
    }
  };

  const flush = () => {
    flushScheduled = false;
    for (const topic of Object.keys(queued) as ClusterTopic[]) {
      const items = queued[topic];
      if (!items.length) continue;
      queued[topic] = [];
      const { payloads, dropped } = chunkPayloads(instanceId, items);
      if (dropped) log.error('cluster: items too large for a notification were dropped', { topic, dropped });
      // Chained, so notifications leave in publication order.
      sending = sending
        .then(() => database.notify(channels[topic], payloads))
        .catch((error: unknown) => log.error('cluster: notify failed', { topic, payloads: payloads.length, error: String(error) }));
    }
  };

  const unlisten: (() => Promise<void>)[] = [];
  if (shared) {
    for (const topic of Object.keys(channels) as ClusterTopic[]) {
      let listening = false;
      const onListen = () => {
        if (!listening) return void (listening = true);
        log.warn('cluster: listening again after a connection loss', { topic });
        for (const handler of resyncHandlers) handler();
      };
      unlisten.push(await database.listen(channels[topic], (payload) => receive(topic, payload), onListen));
    }
  }

  return {
    instanceId,
    shared,
    publish(topic, items) {
      if (!shared || stopped || !items.length) return;
      for (const item of items) queued[topic].push(item);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    },
    subscribe(topic, handler) {
      handlers[topic].add(handler);
      return () => handlers[topic].delete(handler);
    },
    onResync(handler) {
      resyncHandlers.add(handler);
      return () => resyncHandlers.delete(handler);
    },
    async stop() {
      if (flushScheduled) flush();
      stopped = true;
      await sending;
      await Promise.all(unlisten.map((stop) => stop().catch(() => {})));
    },
  };
}
