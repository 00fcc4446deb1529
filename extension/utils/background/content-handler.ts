/**
 * @module
 * Answers the runtime messages of content scripts. Each message is validated, the sender must be one of this
 * extension's content scripts in the top frame of a configured site, and launches are limited to devices that this
 * tab's lookups returned. The backend still enforces roles; this keeps a compromised page from widening its reach.
 */
import type { Me, TriggerInfo } from '@fixpoint/protocol';
import type { Browser } from 'wxt/browser';
import { selectRunnableActions } from '@fixpoint/launcher';
import { ApiError, type ApiClient } from '../api-client';
import { ContentRequest, type ContentResponse } from '../messages';
import type { Auth, RecentLaunch, Settings, SiteConfig } from '../settings';
import { siteConfigForUrl } from '../settings';
import { newTabState, rememberDevices, rememberLaunch, type TabState, type TabStore } from './tab-state';

export interface ContentHandlerDeps {
  extensionId: string;
  loadSettings(): Promise<Settings>;
  loadAuth(): Promise<Auth | null>;
  createClient(baseUrl: string, token: string): ApiClient;
  tabs: TabStore;
  recordLaunch(launch: RecentLaunch): Promise<void>;
  /** Keeps the recent-launch list current when a panel reads a status (its fallback when live status is gone). */
  recordStatus(executionId: string, status: string): Promise<void>;
  openOptions(): Promise<void>;
  now(): Date;
}

/** A refusal the content script can show. */
export class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The site key for a configured site: the built-in id or `generic:<id>`. */
export function siteKey(config: SiteConfig): string {
  return config.kind === 'builtin' ? config.id : `generic:${config.site.id}`;
}

function adapterIdsFor(config: SiteConfig): string[] {
  if (config.kind === 'generic') return [`generic:${config.site.id}`];
  return config.id === 'servicenow' ? ['servicenow', 'servicenow-workspace'] : [config.id];
}

export interface SenderContext {
  tabId: number;
  url: string;
  config: SiteConfig;
}

/** Checks that a message comes from our content script in the top frame of a configured site. */
export function checkSender(sender: Browser.runtime.MessageSender, extensionId: string, settings: Settings): SenderContext {
  if (sender.id !== extensionId) throw new Refusal('forbidden', 'Messages from other extensions are refused');
  const tabId = sender.tab?.id;
  if (tabId === undefined || tabId < 0 || sender.frameId !== 0) throw new Refusal('forbidden', 'Only the top frame of a ticket page may ask');
  const url = sender.url ?? '';
  const config = /^https?:/.test(url) ? siteConfigForUrl(settings, url) : null;
  if (!config) throw new Refusal('forbidden', 'This page is not one of the configured sites');
  return { tabId, url, config };
}

/** Creates the handler; `handle` never throws, it answers `{ ok: false, error }` instead. */
export function createContentHandler(deps: ContentHandlerDeps) {
  let meCache: { token: string; me: Me; at: number } | undefined;
  const actionNames = new Map<string, string>();

  async function signedInClient(settings: Settings) {
    const auth = await deps.loadAuth();
    if (!settings.backendUrl || !auth) throw new Refusal('unauthenticated', 'Sign in to Fixpoint from the extension options');
    return { client: deps.createClient(settings.backendUrl, auth.token), token: auth.token };
  }

  async function me(client: ApiClient, token: string): Promise<Me> {
    // Roles rarely change; a minute of caching saves a round trip per panel while staying fresh enough.
    if (meCache && meCache.token === token && deps.now().getTime() - meCache.at < 60_000) return meCache.me;
    const fresh = await client.me();
    meCache = { token, me: fresh, at: deps.now().getTime() };
    return fresh;
  }

  async function stateFor(tabId: number, url: string): Promise<TabState> {
    const state = await deps.tabs.get(tabId);
    if (!state || new URL(state.url).origin !== new URL(url).origin) throw new Refusal('no_context', 'Reload the page to reconnect the launcher');
    return state;
  }

  async function dispatch(request: ContentRequest, sender: SenderContext, settings: Settings): Promise<unknown> {
    const { tabId, url, config } = sender;
    switch (request.type) {
      case 'hello': {
        await deps.tabs.set(tabId, newTabState(url, siteKey(config)));
        const auth = await deps.loadAuth();
        return { site: config, signedIn: Boolean(auth && settings.backendUrl) };
      }
      case 'openOptions':
        await deps.openOptions();
        return null;
      case 'page': {
        const state = await stateFor(tabId, url);
        if (!adapterIdsFor(config).includes(request.adapter)) throw new Refusal('forbidden', 'That adapter does not belong to this site');
        state.adapter = request.adapter;
        state.facts = request.facts;
        state.url = url;
        await deps.tabs.set(tabId, state);
        return null;
      }
      case 'searchDevices': {
        const state = await stateFor(tabId, url);
        const { client } = await signedInClient(settings);
        const devices = await client.searchDevices(request.query, 20);
        rememberDevices(state, devices);
        await deps.tabs.set(tabId, state);
        return devices;
      }
      case 'listActions': {
        const state = await stateFor(tabId, url);
        const platform = state.devices[request.deviceId];
        if (!platform) throw new Refusal('forbidden', 'Look the device up on this page first');
        const { client, token } = await signedInClient(settings);
        const [who, actions] = await Promise.all([me(client, token), client.listActions()]);
        for (const a of actions) actionNames.set(a.slug, a.name);
        return selectRunnableActions(actions, who, platform as 'windows' | 'macos' | 'linux');
      }
      case 'getAction': {
        await stateFor(tabId, url);
        const { client } = await signedInClient(settings);
        const action = await client.getAction(request.slug);
        actionNames.set(action.slug, action.name);
        return action;
      }
      case 'launch': {
        const state = await stateFor(tabId, url);
        if (!state.devices[request.deviceId]) throw new Refusal('forbidden', 'Launches are limited to devices looked up on this page');
        // The panel chose for the device the page showed; if the page shows another one now (a tab switch), the
        // ticket reported below would not be the one the choice was made for.
        if (request.pageDevice !== undefined && request.pageDevice !== state.facts.device) {
          throw new Refusal('conflict', 'The ticket on this page changed; check the device again');
        }
        const { client } = await signedInClient(settings);
        const triggerInfo: TriggerInfo = { externalSource: state.adapter ?? siteKey(config) };
        if (state.facts.ticketId) triggerInfo.externalReference = state.facts.ticketId;
        if (state.facts.device) triggerInfo.externalDeviceName = state.facts.device;
        const response = await client.launch({
          action: request.action, devices: [request.deviceId], parameters: request.parameters, trigger: 'extension', triggerInfo,
        });
        rememberLaunch(state, response.requestId, response.executions.map((e) => e.id));
        await deps.tabs.set(tabId, state);
        const first = response.executions[0];
        if (first) {
          await deps.recordLaunch({
            requestId: response.requestId, executionId: first.id, action: request.action,
            actionName: actionNames.get(request.action) ?? request.action, deviceName: state.deviceNames[request.deviceId] ?? request.deviceId,
            site: state.adapter ?? siteKey(config), ticketId: state.facts.ticketId ?? null, status: first.status, at: deps.now().toISOString(),
          }).catch(() => undefined);
        }
        return response;
      }
      case 'getExecution': {
        const state = await stateFor(tabId, url);
        if (!state.executions.includes(request.id)) throw new Refusal('forbidden', 'Only executions launched from this page can be read here');
        const { client } = await signedInClient(settings);
        const execution = await client.getExecution(request.id);
        await deps.recordStatus(execution.id, execution.status).catch(() => undefined);
        return execution;
      }
    }
  }

  return {
    async handle(message: unknown, sender: Browser.runtime.MessageSender): Promise<ContentResponse> {
      try {
        const settings = await deps.loadSettings();
        const from = checkSender(sender, deps.extensionId, settings);
        const parsed = ContentRequest.safeParse(message);
        if (!parsed.success) throw new Refusal('bad_request', 'Malformed message');
        return { ok: true, data: await dispatch(parsed.data, from, settings) };
      } catch (err) {
        if (err instanceof Refusal || err instanceof ApiError) return { ok: false, error: { code: err.code, message: err.message } };
        return { ok: false, error: { code: 'internal', message: 'The extension hit an unexpected error' } };
      }
    },
    /** Forget a closed tab. */
    forgetTab: (tabId: number) => deps.tabs.delete(tabId),
  };
}
