/** @module A campaign coordinator with a stand-in server and tray, and the pushes the server would send it, for tests. */
import { randomUUID } from 'node:crypto';
import type { AgentMessage, AgentToTrayMessage, CampaignDefinition, CampaignRequestPush, TrayHello } from '@fixpoint/protocol';
import { CampaignCoordinator } from '../campaigns/coordinator';

/** A server's push of one request of `definition` for `ana`, from a script, expiring in an hour. */
export function campaignPush(definition: CampaignDefinition, overrides: Partial<CampaignRequestPush> = {}): CampaignRequestPush {
  return {
    requestId: randomUUID(),
    campaignId: randomUUID(),
    campaignVersion: 1,
    definition,
    parameters: {},
    targetUser: 'ana',
    urgency: 'normal',
    source: 'script',
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    ...overrides,
  };
}

/**
 * A coordinator whose frames land in `sent` and whose tray messages land in `toTrays`; `state` says whether `ana` is
 * logged in and how many trays she has (none: nothing reaches a tray).
 */
export function coordinatorHarness(opts: { session?: boolean; trays?: number } = {}) {
  const sent: AgentMessage[] = [];
  const toTrays: AgentToTrayMessage[] = [];
  const state = { session: opts.session ?? true, trays: opts.trays ?? 1 };
  const hello = { language: 'en' } as TrayHello;
  const coordinator = new CampaignCoordinator({
    send: (m) => (sent.push(m), true),
    trays: {
      presence: () => ({ ...state }),
      send: (_user, m) => {
        if (!state.trays) return 0;
        toTrays.push(typeof m === 'function' ? m(hello) : m);
        return state.trays;
      },
      refresh: async () => {},
      get users() {
        return state.session ? ['ana'] : [];
      },
    },
    consoleUser: async () => (state.session ? 'ana' : null),
  });
  return { coordinator, sent, toTrays, state };
}
