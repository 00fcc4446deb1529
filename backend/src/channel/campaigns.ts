/**
 * @module Campaigns on the agent channel. `notify(deviceIds)` (the campaigns service calls it after triggers and
 * retires commit) pushes each connected device its full list of pending requests, in one query for all of them,
 * and tells the other instances over LISTEN/NOTIFY; a device also gets the list after its `pull`. A script's
 * `campaign_start` becomes a request (`startDeviceCampaign`), `campaign_status` reads one (`deviceCampaignStatus`), and `campaign_response` is stored with
 * `recordResponse`, then acked. A response the backend can never take (the request closed meanwhile, answers that
 * do not fit) is acked with the error, so the agent stops sending it; a failure of the backend itself is not acked,
 * and the agent sends the response again after its next reconnect.
 */
import { Id, type AgentCampaignResponse, type AgentCampaignStart, type AgentCampaignStatus, type ControlBody } from '@fixpoint/protocol';
import type { Cluster } from '../cluster';
import type { AppContext, CampaignDispatcher } from '../context';
import { AppError } from '../errors';
import { deviceCampaignStatus, pendingCampaignRequests, recordResponse, startDeviceCampaign } from '../services/campaigns';
import { PushQueue } from './push-queue';

export interface CampaignChannelHost {
  /** Signs and sends to a device connected here; false when it is not. */
  sendTo(deviceId: string, message: ControlBody): boolean;
  /** Devices connected here that have pulled (only those get pushes). */
  pulled(deviceId: string): boolean;
  /** Every device connected here. */
  connected(): string[];
}

/** Devices per query. */
const loadChunk = 2000;

const permanent = (error: unknown): error is AppError => error instanceof AppError && error.status < 500;
const failed = (localId: string, error: AppError): ControlBody => ({ type: 'campaign_failed', localId, code: error.code, message: error.message.slice(0, 2000) });

export class CampaignChannel implements CampaignDispatcher {
  private readonly pushes = new PushQueue((ids) => this.push(ids));
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly ctx: AppContext,
    private readonly host: CampaignChannelHost,
    private readonly cluster: Cluster,
  ) {
    this.unsubscribe = [
      cluster.subscribe('campaigns', (items) => this.deliverHere(items.filter((i): i is string => Id.safeParse(i).success))),
      cluster.onResync(() => this.deliverHere(host.connected())),
    ];
  }

  notify(deviceIds: readonly string[]): void {
    this.deliverHere(deviceIds);
    this.cluster.publish('campaigns', deviceIds);
  }

  /** Queues devices connected here for a push; all queued in one turn share one query. */
  deliverHere(deviceIds: readonly string[]): void {
    this.pushes.add(deviceIds.filter((id) => this.host.pulled(id)));
  }

  private async push(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += loadChunk) {
      const part = ids.slice(i, i + loadChunk);
      try {
        const pending = await pendingCampaignRequests(this.ctx, part);
        for (const [deviceId, requests] of pending) this.host.sendTo(deviceId, { type: 'campaigns', requests });
      } catch (error) {
        // the requests stay pending in the database; the devices get them at their next pull or notification
        this.ctx.log.error('channel: loading pending campaign requests failed', { devices: part.length, error: String(error) });
      }
    }
  }

  /** A script on the device asks for a campaign. */
  async start(deviceId: string, msg: AgentCampaignStart): Promise<ControlBody> {
    try {
      const { request, reused } = await startDeviceCampaign(this.ctx, { deviceId, start: msg });
      return { type: 'campaign_started', localId: msg.localId, request, reused };
    } catch (error) {
      if (!permanent(error)) throw error;
      return failed(msg.localId, error);
    }
  }

  /** A script on the device reads where a request of the device stands. */
  async status(deviceId: string, msg: AgentCampaignStatus): Promise<ControlBody> {
    try {
      const state = await deviceCampaignStatus(this.ctx, { deviceId, requestId: msg.requestId });
      return { type: 'campaign_state', localId: msg.localId, requestId: msg.requestId, ...state };
    } catch (error) {
      if (!permanent(error)) throw error;
      return failed(msg.localId, error);
    }
  }

  /** Stores what the device reports for a request; null when it should be sent again later. */
  async respond(deviceId: string, msg: AgentCampaignResponse): Promise<ControlBody | null> {
    try {
      await recordResponse(this.ctx, {
        requestId: msg.requestId,
        deviceId,
        state: msg.state,
        answers: msg.answers,
        freeText: msg.freeText,
        user: msg.user,
        language: msg.language ?? null,
        respondedAt: new Date(msg.at),
      });
      return { type: 'campaign_ack', requestId: msg.requestId };
    } catch (error) {
      if (!permanent(error)) {
        this.ctx.log.warn('channel: storing a campaign response failed; the agent will send it again', { deviceId, error: String(error) });
        return null;
      }
      return { type: 'campaign_ack', requestId: msg.requestId, error: { code: error.code, message: error.message.slice(0, 2000) } };
    }
  }

  stop(): void {
    for (const stop of this.unsubscribe) stop();
  }
}
