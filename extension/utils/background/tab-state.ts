/**
 * @module
 * What the background remembers per tab: the page a content script reported, the devices its lookups returned
 * and the launches it made. Launches and status reads are only allowed for those, so a content script cannot act
 * on devices or executions it was never shown. Kept in `storage.session` so a restarted service worker still knows.
 */
import type { StorageArea } from '../storage';

export interface TabState {
  /** URL of the page that said hello. */
  url: string;
  /** Site key: a built-in id or `generic:<id>`. */
  site: string;
  /** Adapter that last reported the page. */
  adapter: string | null;
  facts: { device?: string; user?: string; ticketId?: string };
  /** Device id → platform, for the devices lookups in this tab returned. */
  devices: Record<string, string>;
  /** Device id → name, for the recent-launch list. */
  deviceNames: Record<string, string>;
  requests: string[];
  executions: string[];
}

const maxDevices = 500;
const maxLaunches = 100;

export interface TabStore {
  get(tabId: number): Promise<TabState | undefined>;
  set(tabId: number, state: TabState): Promise<void>;
  delete(tabId: number): Promise<void>;
}

/** A tab store kept in memory and mirrored to `area` (storage.session) when there is one. */
export function createTabStore(area?: StorageArea): TabStore {
  const memory = new Map<number, TabState>();
  const key = (tabId: number) => `tab:${tabId}`;
  return {
    async get(tabId) {
      const known = memory.get(tabId);
      if (known || !area) return known;
      const stored = (await area.get(key(tabId)))[key(tabId)] as TabState | undefined;
      if (stored && typeof stored === 'object' && typeof stored.url === 'string') memory.set(tabId, stored);
      return memory.get(tabId);
    },
    async set(tabId, state) {
      memory.set(tabId, state);
      await area?.set({ [key(tabId)]: state });
    },
    async delete(tabId) {
      memory.delete(tabId);
      await area?.remove(key(tabId));
    },
  };
}

/** A fresh state for a page that just said hello. */
export function newTabState(url: string, site: string): TabState {
  return { url, site, adapter: null, facts: {}, devices: {}, deviceNames: {}, requests: [], executions: [] };
}

/** Remembers devices a lookup returned, dropping the oldest past the cap. */
export function rememberDevices(state: TabState, devices: readonly { id: string; name: string; platform: string }[]): void {
  for (const d of devices) {
    delete state.devices[d.id];
    state.devices[d.id] = d.platform;
    state.deviceNames[d.id] = d.name;
  }
  const ids = Object.keys(state.devices);
  for (const id of ids.slice(0, Math.max(0, ids.length - maxDevices))) {
    delete state.devices[id];
    delete state.deviceNames[id];
  }
}

/** Remembers a launch and its executions, dropping the oldest past the cap. */
export function rememberLaunch(state: TabState, requestId: string, executionIds: readonly string[]): void {
  state.requests = [...state.requests, requestId].slice(-maxLaunches);
  state.executions = [...state.executions, ...executionIds].slice(-maxLaunches);
}
