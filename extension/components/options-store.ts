/**
 * @module
 * State and verbs of the options page. Host permissions are requested first thing in each verb, while the click
 * that started it still counts as a user gesture (browsers refuse the request otherwise).
 */
import { batch, signal } from '@preact/signals';
import { z } from 'zod';
import { originPattern, patternForUrl } from '../utils/match-pattern';
import { isHostname } from '@fixpoint/protocol';
import type { PageFacts } from '../utils/adapters/types';
import type { SitePreview } from '../utils/options/site-preview';
import { BackendUrl, GenericSite, Sites, configuredPatterns, type Auth, type Settings } from '../utils/settings';
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
  /**
   * Reads `site` with the generic adapter on the open tab its pattern covers (the active one first), without saving
   * anything; null when no open tab matches. Needs access to the site's origin.
   */
  previewSite?(site: GenericSite): Promise<SitePreview | null>;
}

/** The preview shown under a generic site: what was read, or why nothing could be. */
export type PreviewState = { kind: 'busy' } | { kind: 'read'; preview: SitePreview } | { kind: 'problem'; text: string };

/** How a person grants host access by hand when the browser's prompt fails or never shows. */
export const grantAccessHelp =
  "Grant it in the browser's extension settings: in Chrome or Edge, Extensions → Fixpoint → Details → Site access; in Firefox, Add-ons → Fixpoint → Permissions.";

/**
 * Asks the browser for access to `origins`. Resolves to undefined once granted, else to a sentence saying what
 * failed and how to grant access by hand; never throws (the request itself throws where no prompt can be shown).
 */
export function requestAccess(host: OptionsHost, origins: string[]): Promise<string | undefined> {
  const what = origins.join(', ');
  let request: Promise<boolean>;
  try {
    request = Promise.resolve(host.permissions.request({ origins }));
  } catch (err) {
    request = Promise.reject(err);
  }
  return request.then(
    (granted) => (granted ? undefined : `The browser did not grant access to ${what}. ${grantAccessHelp}`),
    (err) => `The browser could not ask for access to ${what} (${err instanceof Error ? err.message : String(err)}). ${grantAccessHelp}`,
  );
}

/** "Here I read …": one line per field, saying when the device would not be looked up. */
export function describePreview(facts: PageFacts): string[] {
  const lines = [`Ticket: ${facts.ticketId ?? 'not found'}`];
  if (!facts.device) lines.push('Device: not found');
  else lines.push(`Device: ${facts.device}${isHostname(facts.device) ? '' : ' (not a host name: the launcher will not look it up)'}`);
  lines.push(`User: ${facts.user ?? 'not found'}`);
  return lines;
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
  const notice = signal<{ kind: 'ok' | 'info' | 'error'; text: string } | null>(null);
  const previews = signal<Record<string, PreviewState>>({});

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

  /** Says, while the browser's prompt is open, what to do if it never shows; replaced once the browser answers. */
  function waitFor(access: Promise<string | undefined>, what: string): Promise<string | undefined> {
    const waiting = { kind: 'info' as const, text: `Waiting for the browser to grant access to ${what}. If it shows no prompt: ${grantAccessHelp}` };
    // A prompt answered at once (access already granted) shows no waiting note.
    const timer = setTimeout(() => (notice.value = waiting), 250);
    return access.then((problem) => {
      clearTimeout(timer);
      if (notice.value === waiting) notice.value = null;
      return problem;
    });
  }

  /** Saves the backend address after the user grants access to it; a new backend signs the extension out. */
  function saveBackendUrl(raw: string) {
    const parsed = BackendUrl.safeParse(raw.trim());
    if (!parsed.success) {
      notice.value = { kind: 'error', text: messageOf(parsed.error) };
      return Promise.resolve();
    }
    const access = waitFor(requestAccess(host, [patternForUrl(parsed.data)!]), 'the Fixpoint server');
    return access.then((problem) => {
      if (problem) {
        notice.value = { kind: 'error', text: `The server was not saved. ${problem}` };
        return;
      }
      return run(async () => {
        const current = settings.value!;
        if (current.backendUrl !== parsed.data) {
          await signOut(host.storage);
          auth.value = null;
        }
        settings.value = await saveSettings(host.storage, { ...current, backendUrl: parsed.data });
        await refreshGrants(settings.value);
        return 'Server saved';
      });
    });
  }

  /** Reads a generic site's form on the open tab it covers. `ask` requests access (only from a click). */
  async function previewSite(id: string, raw: unknown, ask: boolean) {
    const set = (state: PreviewState) => (previews.value = { ...previews.value, [id]: state });
    const parsed = GenericSite.safeParse(raw);
    if (!parsed.success) return set({ kind: 'problem', text: messageOf(parsed.error) });
    if (!host.previewSite) return set({ kind: 'problem', text: 'This browser cannot preview a site.' });
    const origins = originsOf([parsed.data.pattern]);
    const access = ask ? requestAccess(host, origins) : host.permissions.contains({ origins }).then((ok) => (ok ? undefined : `Access to ${origins.join(', ')} is not granted yet.`), () => 'Access could not be checked.');
    set({ kind: 'busy' });
    const timer = setTimeout(() => set({ kind: 'problem', text: `Waiting for the browser to grant access to ${origins.join(', ')}. If it shows no prompt: ${grantAccessHelp}` }), 250);
    const problem = await access.finally(() => clearTimeout(timer));
    if (problem) return set({ kind: 'problem', text: problem });
    try {
      const preview = await host.previewSite(parsed.data);
      set(preview ? { kind: 'read', preview } : { kind: 'problem', text: `No open tab shows a page of ${parsed.data.pattern}: open a ticket there, then preview again.` });
    } catch (err) {
      set({ kind: 'problem', text: `The page could not be read: ${messageOf(err)}` });
    }
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
    settings, auth, granted, busy, notice, previews, load, saveBackendUrl, previewSite,
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
      const access = origins.length ? requestAccess(host, origins) : Promise.resolve(undefined);
      // Saved at once: a prompt that never shows must not hold the settings back.
      return run(async () => {
        settings.value = await saveSettings(host.storage, next);
        await refreshGrants(settings.value);
        return 'Sites saved';
      }).then(async () => {
        if (notice.value?.kind !== 'ok') return;
        const problem = await waitFor(access, 'the sites');
        await refreshGrants(settings.value!).catch(() => undefined);
        notice.value = problem
          ? { kind: 'error', text: `Sites saved, but the launcher stays off on them until access is granted. ${problem}` }
          : { kind: 'ok', text: 'Sites saved' };
      });
    },
  };
}
