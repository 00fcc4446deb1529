/**
 * @module
 * Registers the launcher content script for the configured sites whose host permission the user granted, and for
 * nothing else. Called at start-up and whenever settings or permissions change.
 */
import type { Browser } from 'wxt/browser';
import { originPattern } from '../match-pattern';
import type { Settings } from '../settings';
import { configuredPatterns } from '../settings';

export const launcherScriptId = 'fixpoint-launcher';
/** Where WXT writes the `launcher.content` entrypoint. */
export const launcherScriptFile = 'content-scripts/launcher.js';

export interface RegistrationApis {
  scripting: Pick<typeof Browser.scripting, 'getRegisteredContentScripts' | 'registerContentScripts' | 'updateContentScripts' | 'unregisterContentScripts'>;
  permissions: Pick<typeof Browser.permissions, 'contains'>;
}

/** The configured page patterns whose origin the user has granted. */
export async function grantedPatterns(apis: RegistrationApis, settings: Settings): Promise<string[]> {
  const granted: string[] = [];
  for (const pattern of configuredPatterns(settings)) {
    const origin = originPattern(pattern);
    if (origin && (await apis.permissions.contains({ origins: [origin] }))) granted.push(pattern);
  }
  return granted;
}

/** Makes the registered launcher script match exactly the granted site patterns. Returns them. */
export async function syncContentScripts(apis: RegistrationApis, settings: Settings): Promise<string[]> {
  const matches = await grantedPatterns(apis, settings);
  const existing = await apis.scripting.getRegisteredContentScripts({ ids: [launcherScriptId] });
  if (!matches.length) {
    if (existing.length) await apis.scripting.unregisterContentScripts({ ids: [launcherScriptId] });
    return matches;
  }
  const script = { id: launcherScriptId, matches, js: [launcherScriptFile], runAt: 'document_idle' as const, allFrames: false };
  if (existing.length) await apis.scripting.updateContentScripts([script]);
  else await apis.scripting.registerContentScripts([script]);
  return matches;
}
