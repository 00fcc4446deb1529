import type { Envelope } from '@fixpoint/protocol';
import type { Config } from './config';
import type { Db, DbKind } from './db';
import type { DeviceEventBus, EventBus } from './events';
import type { SigningKey } from './keys';
import type { Logger } from '@fixpoint/protocol/log';

/** Delivers queued work to connected agents. The agent channel registers itself here; until then launches only queue. */
export interface Dispatcher {
  /**
   * Called after executions for these devices were committed as queued. A launch passes what it queued (`work`), so
   * a device connected here can get it without the pending-work look-up.
   */
  notify(deviceIds: readonly string[], work?: readonly QueuedWork[]): void;
  /** Whether a device currently holds an authenticated channel to this backend process. */
  isOnline(deviceId: string): boolean;
  /** Agent reports received on this instance and not yet stored (admission control reads it). */
  backlog?(): number;
}

/** One execution as its launch committed it, ready to send. */
export interface QueuedWork {
  executionId: string;
  deviceId: string;
  envelope: Envelope;
  /** The envelope's `execute` frame, ready for an agent on the current channel version (built at launch). */
  frame?: string;
  /**
   * The device's unfinished executions committed before this one (other launches first, then earlier ones of the
   * same batch): it may be sent at once only where every one of them was already sent, so the device's order holds.
   */
  before: readonly string[];
}

/** Called after campaign requests for these devices were committed (queued, or canceled by a retire). */
export interface CampaignDispatcher {
  notify(deviceIds: string[]): void;
}

/** Everything a service verb needs, passed explicitly (no module-level singletons). */
export interface AppContext {
  db: Db;
  dbKind: DbKind;
  config: Config;
  signingKey: SigningKey;
  /** Execution events; with several instances they include the other instances' events. */
  events: EventBus;
  /** A device's facts or outputs changed (published where the change happened, after the commit). */
  deviceEvents: DeviceEventBus;
  /** Replaced by the agent channel's hub at start-up. */
  dispatcher: Dispatcher;
  log: Logger;
  version: string;
  /**
   * Delivers campaign requests to devices. The agent channel registers itself here; until then triggers only
   * queue, and agents pick requests up when they ask for pending work.
   */
  campaignDispatcher?: CampaignDispatcher;
  /** Injectable clock, so tests can move time. */
  now(): Date;
}

export const idleDispatcher: Dispatcher = { notify: () => {}, isOnline: () => false };
