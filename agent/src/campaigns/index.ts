/**
 * @module Campaigns on the device, wired together: the tray sockets of the logged-in users, the coordinator, and
 * the `fixpoint campaign` entry point each run gets.
 */
import type { AgentMessage } from '@fixpoint/protocol';
import type { PlatformOps, RunUser } from '../exec/platform';
import { tryOpenControlEndpoint, type ControlEndpoint, type StartCampaign } from '../ipc/control-server';
import { TrayHub, type TrayHubOptions } from '../ipc/tray-hub';
import { describeError, log } from '../log';
import { HelpRelay } from '../help/relay';
import { CampaignCoordinator, type CampaignServerMessage } from './coordinator';
import { emptyOutcome } from './held';

export { CampaignCoordinator, type CampaignServerMessage } from './coordinator';

export interface DeviceCampaignsOptions {
  send(message: AgentMessage): boolean;
  platform: PlatformOps;
  now: () => Date;
  /** Who gets a tray socket (the daemon follows the sessions); without it there is no tray IPC. */
  trayIpc?: Pick<TrayHubOptions, 'discover' | 'watchSessions'>;
  /** Trays' self-service and activity requests (see self-service/). */
  trayRequest?: TrayHubOptions['handlers']['request'];
}

export class DeviceCampaigns {
  readonly trays: TrayHub | null;
  readonly coordinator: CampaignCoordinator;
  /** "Get help" from the trays, relayed to the backend. */
  readonly help: HelpRelay;

  constructor(private readonly options: DeviceCampaignsOptions) {
    this.help = new HelpRelay({ send: options.send });
    this.trays = !options.trayIpc
      ? null
      : new TrayHub({
            ...options.trayIpc,
            handlers: {
              traysChanged: (user) => this.coordinator.traysChanged(user),
              shown: (user, requestId) => this.coordinator.shown(user, requestId),
              answer: (user, answer) => this.coordinator.answer(user, answer),
              ...(options.trayRequest ? { request: options.trayRequest } : {}),
              help: (user, help, reply) => this.help.request(user, help, reply),
            },
          });
    const noTrays = { presence: () => ({ session: false, trays: 0 }), send: () => 0, refresh: async () => {}, users: [] };
    this.coordinator = new CampaignCoordinator({
      send: options.send,
      trays: this.trays ?? noTrays,
      consoleUser: async () => (await options.platform.consoleUser())?.name ?? null,
      now: options.now,
    });
  }

  start(): void {
    this.trays?.start().catch((err: unknown) => log.warn('tray ipc: cannot start', { error: describeError(err) }));
  }

  async stop(): Promise<void> {
    this.coordinator.stop();
    this.help.stop();
    await this.trays?.stop();
  }

  /** The channel is authenticated. */
  ready(): void {
    this.coordinator.ready();
  }

  handleServer(message: CampaignServerMessage): void {
    this.coordinator.handleServer(message);
  }

  /** The control socket of one run (see `RunOptions.openControl`); it lives outside the run directory `_dir`, which a user run owns. */
  openControl(executionId: string, _dir: string, runUser: RunUser | null): Promise<ControlEndpoint | null> {
    return tryOpenControlEndpoint(executionId, runUser, this.scriptCampaigns(executionId, runUser));
  }

  /** `fixpoint campaign` in a run: for the run's user, or the console user for a system run; `--status` reads any request of the device. */
  private scriptCampaigns(executionId: string, runUser: RunUser | null): StartCampaign {
    return (request) => {
      if (request.type === 'campaign_status') return { outcome: this.coordinator.readScriptCampaign(request.requestId), abandon: () => {} };
      let handle: ReturnType<CampaignCoordinator['startScriptCampaign']> | null = null;
      let abandoned = false;
      const user = runUser ? Promise.resolve(runUser.name) : this.options.platform.consoleUser().then((u) => u?.name ?? null);
      const outcome = user.then((name) => {
        if (abandoned) return emptyOutcome('error', { message: 'the script went away' });
        handle = this.coordinator.startScriptCampaign({ ...request, executionId }, name);
        return handle.outcome;
      });
      return {
        outcome,
        abandon: () => {
          abandoned = true;
          handle?.abandon();
        },
      };
    };
  }
}
