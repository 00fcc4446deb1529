/**
 * @module
 * Typed access to `browser.storage.local`. Reads validate and fall back to safe defaults; writes validate first,
 * so nothing malformed is ever stored. The storage area is a parameter, so tests pass the fake browser's.
 */
import type { Browser } from 'wxt/browser';
import { Auth, RecentLaunch, Settings, defaultSettings, maxRecentLaunches } from './settings';

export type StorageArea = Pick<Browser.storage.StorageArea, 'get' | 'set' | 'remove'>;

export const storageKeys = { settings: 'settings', auth: 'auth', recent: 'recentLaunches' } as const;

async function read(area: StorageArea, key: string): Promise<unknown> {
  const got = await area.get(key);
  return (got as Record<string, unknown>)[key];
}

/** The saved settings, or defaults when none are saved or they do not validate. */
export async function loadSettings(area: StorageArea): Promise<Settings> {
  const parsed = Settings.safeParse(await read(area, storageKeys.settings));
  return parsed.success ? parsed.data : defaultSettings();
}

/** Validates and saves settings; throws the zod error (with per-field messages) when they do not validate. */
export async function saveSettings(area: StorageArea, settings: unknown): Promise<Settings> {
  const valid = Settings.parse(settings);
  await area.set({ [storageKeys.settings]: valid });
  return valid;
}

/** The sign-in, or null when signed out, expired or unreadable. */
export async function loadAuth(area: StorageArea, now = new Date()): Promise<Auth | null> {
  const parsed = Auth.safeParse(await read(area, storageKeys.auth));
  if (!parsed.success) return null;
  if (parsed.data.expiresAt && Date.parse(parsed.data.expiresAt) <= now.getTime()) return null;
  return parsed.data;
}

export async function saveAuth(area: StorageArea, auth: Auth | null): Promise<void> {
  if (auth === null) await area.remove(storageKeys.auth);
  else await area.set({ [storageKeys.auth]: Auth.parse(auth) });
}

export async function loadRecentLaunches(area: StorageArea): Promise<RecentLaunch[]> {
  const raw = await read(area, storageKeys.recent);
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item) => {
    const parsed = RecentLaunch.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

// Launches and status updates can interleave; one queue keeps each read-modify-write whole.
let recentQueue: Promise<unknown> = Promise.resolve();
function queued<T>(work: () => Promise<T>): Promise<T> {
  const next = recentQueue.then(work, work);
  recentQueue = next.catch(() => undefined);
  return next;
}

/** Adds a launch at the top of the recent list, keeping the newest `maxRecentLaunches`. */
export function addRecentLaunch(area: StorageArea, launch: RecentLaunch): Promise<void> {
  return queued(async () => {
    const list = [RecentLaunch.parse(launch), ...(await loadRecentLaunches(area))].slice(0, maxRecentLaunches);
    await area.set({ [storageKeys.recent]: list });
  });
}

/** Records the latest status of a recent launch, if it is still in the list. */
export function updateRecentStatus(area: StorageArea, executionId: string, status: string): Promise<void> {
  return queued(async () => {
    const list = await loadRecentLaunches(area);
    const item = list.find((l) => l.executionId === executionId);
    if (!item || item.status === status) return;
    item.status = status;
    await area.set({ [storageKeys.recent]: list });
  });
}
