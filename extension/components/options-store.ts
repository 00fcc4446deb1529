/**
 * @module
 * State and verbs of the options page. Host permissions are requested first thing in each verb, while the click
 * that started it still counts as a user gesture (browsers refuse the request otherwise).
 */
import { batch, signal } from '@preact/signals';
import { z } from 'zod';
import { originPattern, patternForUrl } from '../utils/match-pattern';
import { BackendUrl, Sites, configuredPatterns, type Auth, type Settings } from '../utils/settings';
import { signInWithPassword, signInWithSession, signInWithToken, signOut } from '../utils/sign-in';
import { loadAuth, loadSettings, saveSettings, type StorageArea } from '../utils/storage';

/** What the options page needs from the browser; the entrypoint passes `browser`'s APIs. */
export interface OptionsHost {
  storage: StorageArea;
  permissions: {
    request(p: { origins: string[] }): Promise<boolean>;
    contains(p: { origins: string[] }): Promise<boolean>;
  };
  openTab(url: string): void;
  fetch?: typeof fetch;
}

export type OptionsStore = ReturnType<typeof createOptionsStore>;

function messageOf(err: unknown): string {
  if (err instanceof z.ZodError) return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  return err instanceof Error ? err.message : 'Something went wrong';
}

/** Unique origins to request for a list of page patterns. */
export function originsOf(patterns: readonly string[]): string[] {
  return [...new Set(patterns.map(originPattern).filter((o): o is string => o !== null))];
}

export function createOptionsStore(host: OptionsHost) {
  const settings = signal<Settings | null>(null);
  const auth = signal<Auth | null>(null);
  const granted = signal<Record<string, boolean>>({});
  const busy = signal(false);
  const notice = signal<{ kind: 'ok' | 'error'; text: string } | null>(null);

  async function refreshGrants(current: Settings) {
    const entries = await Promise.all(
      [...configuredPatterns(current), ...(current.backendUrl ? [patternForUrl(current.backendUrl)!] : [])].map(
        async (p) => [p, await host.permissions.contains({ origins: originsOf([p]) }).catch(() => false)] as const,
      ),
    );
    granted.value = Object.fromEntries(entries);
  }

  async function load() {
    const [s, a] = await Promise.all([loadSettings(host.storage), loadAuth(host.storage)]);
    batch(() => {
      settings.value = s;
      auth.value = a;
    });
    await refreshGrants(s);
  }

  async function run(work: () => Promise<string>) {
    batch(() => {
      busy.value = true;
      notice.value = null;
    });
    try {
      notice.value = { kind: 'ok', text: await work() };
    } catch (err) {
      notice.value = { kind: 'error', text: messageOf(err) };
    } finally {
      busy.value = false;
    }
  }

  /** Saves the backend address after the user grants access to it; a new backend signs the extension out. */
  function saveBackendUrl(raw: string) {
    const parsed = BackendUrl.safeParse(raw.trim());
    if (!parsed.success) {
      notice.value = { kind: 'error', text: messageOf(parsed.error) };
      return Promise.resolve();
    }
    const request = host.permissions.request({ origins: [patternForUrl(parsed.data)!] });
    return run(async () => {
      if (!(await request)) throw new Error('Access to the Fixpoint server was not granted');
      const current = settings.value!;
      if (current.backendUrl !== parsed.data) {
        await signOut(host.storage);
        auth.value = null;
      }
      settings.value = await saveSettings(host.storage, { ...current, backendUrl: parsed.data });
      await refreshGrants(settings.value);
      return 'Server saved';
    });
  }

  const deps = () => {
    const backendUrl = settings.value?.backendUrl;
    if (!backendUrl) throw new Error('Save the Fixpoint server address first');
    return { storage: host.storage, backendUrl, ...(host.fetch ? { fetch: host.fetch } : {}) };
  };

  const signIn = (how: () => Promise<Auth>) =>
    run(async () => {
      auth.value = await how();
      return `Signed in as ${auth.value.name ?? auth.value.email ?? 'you'}`;
    });

  return {
    settings, auth, granted, busy, notice, load, saveBackendUrl,
    signInWithPassword: (email: string, password: string) => signIn(() => signInWithPassword(deps(), email, password)),
    signInWithSession: () => signIn(() => signInWithSession(deps())),
    signInWithToken: (token: string) => signIn(() => signInWithToken(deps(), token)),
    openConsole() {
      const url = settings.value?.backendUrl;
      if (url) host.openTab(`${url}/`);
    },
    signOut: () =>
      run(async () => {
        await signOut(host.storage);
        auth.value = null;
        return 'Signed out';
      }),
    /** Validates and saves the site list; asks for access to every enabled site's pages in the same click. */
    saveSites(sites: unknown) {
      const parsed = Sites.safeParse(sites);
      if (!parsed.success) {
        notice.value = { kind: 'error', text: messageOf(parsed.error) };
        return Promise.resolve();
      }
      const next = { ...settings.value!, sites: parsed.data };
      const origins = originsOf(configuredPatterns(next));
      const request = origins.length ? host.permissions.request({ origins }) : Promise.resolve(true);
      return run(async () => {
        const allowed = await request;
        settings.value = await saveSettings(host.storage, next);
        await refreshGrants(settings.value);
        return allowed ? 'Sites saved' : 'Sites saved, but access was not granted: the launcher stays off on them';
      });
    },
  };
}
