import { describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../settings';
import { launcherScriptId, syncContentScripts, type RegistrationApis } from './registration';

function fakeApis(granted: string[]) {
  const registered = new Map<string, { id: string; matches?: string[] }>();
  const apis = {
    permissions: { contains: vi.fn(async ({ origins }: { origins?: string[] }) => (origins ?? []).every((o) => granted.includes(o))) },
    scripting: {
      getRegisteredContentScripts: vi.fn(async ({ ids }: { ids?: string[] } = {}) => [...registered.values()].filter((s) => !ids || ids.includes(s.id))),
      registerContentScripts: vi.fn(async (scripts: { id: string; matches?: string[] }[]) => scripts.forEach((s) => registered.set(s.id, s))),
      updateContentScripts: vi.fn(async (scripts: { id: string; matches?: string[] }[]) => scripts.forEach((s) => registered.set(s.id, s))),
      unregisterContentScripts: vi.fn(async ({ ids }: { ids?: string[] } = {}) => ids?.forEach((id) => registered.delete(id))),
    },
  };
  return { apis: apis as unknown as RegistrationApis, registered, raw: apis };
}

describe('syncContentScripts', () => {
  const settings = defaultSettings();
  settings.sites.builtin.servicenow.enabled = true;
  settings.sites.builtin.jira.enabled = true;
  settings.sites.generic.push({ id: 'acme', label: 'Acme', pattern: 'https://helpdesk.acme.example/tickets/*' });

  it('registers the launcher for granted sites only', async () => {
    const { apis, registered } = fakeApis(['https://*.service-now.com/*', 'https://helpdesk.acme.example/*']);
    expect(await syncContentScripts(apis, settings)).toEqual(['https://*.service-now.com/*', 'https://helpdesk.acme.example/tickets/*']);
    expect(registered.get(launcherScriptId)).toMatchObject({ matches: ['https://*.service-now.com/*', 'https://helpdesk.acme.example/tickets/*'], js: ['content-scripts/launcher.js'], allFrames: false });
  });

  it('updates an existing registration, and removes it when nothing is granted or enabled', async () => {
    const { apis, registered, raw } = fakeApis(['https://*.atlassian.net/*']);
    await syncContentScripts(apis, settings);
    await syncContentScripts(apis, settings);
    expect(raw.scripting.registerContentScripts).toHaveBeenCalledTimes(1);
    expect(raw.scripting.updateContentScripts).toHaveBeenCalledTimes(1);
    const off = defaultSettings();
    expect(await syncContentScripts(apis, off)).toEqual([]);
    expect(registered.size).toBe(0);
  });
});
