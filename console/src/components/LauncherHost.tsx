/**
 * @module Hosts the launcher panel (@fixpoint/launcher, also mounted by the extension) in the console. The panel keeps its own styles in a shadow root,
 * exactly as on ticket pages; only the host (HTTP with the session instead of extension messages) differs.
 */
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Launcher, launcherStyles, type LauncherApi, type LauncherPreset } from '@fixpoint/launcher';

export interface LauncherHostProps {
  api: LauncherApi;
  /** The device to open the panel on (looked up by name). */
  deviceHint?: string;
  contextLabel?: string;
  /** An action and values to open with (a deep link); the user still presses Launch. */
  preset?: LauncherPreset | null | undefined;
}

// The console is light only (see index.html's color-scheme); keep the panel light with it.
const consoleTheme = `
:host { display: block; }
:host .fp-launcher { --fp-bg: #ffffff; --fp-fg: #1d2433; --fp-muted: #4b5563; --fp-line: #d5dae3; --fp-accent: #1d4ed8; --fp-accent-fg: #fff;
  --fp-ok: #166534; --fp-bad: #b91c1c; --fp-busy: #854d0e; --fp-soft: #f3f5f9; font-size: 14px; border: 1px solid var(--fp-line); border-radius: 8px; }
`;

let sheet: CSSStyleSheet | undefined;

/** One constructed sheet for every panel: the page's CSP allows no inline <style>, and adopted sheets need none. */
function launcherSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(launcherStyles + consoleTheme);
  }
  return sheet;
}

async function copyText(text: string): Promise<void> {
  await navigator.clipboard.writeText(text);
}

export function LauncherHost({ api, deviceHint, contextLabel, preset }: LauncherHostProps) {
  const host = useRef<HTMLDivElement>(null);
  const presetKey = preset ? JSON.stringify(preset) : '';
  useEffect(() => {
    const element = host.current!;
    const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [launcherSheet()];
    const mount = document.createElement('div');
    root.append(mount);
    render(<Launcher api={api} deviceHint={deviceHint} trigger="manual" contextLabel={contextLabel} onCopy={copyText} preset={preset ?? undefined} />, mount);
    return () => {
      render(null, mount);
      mount.remove();
    };
  }, [api, deviceHint, contextLabel, presetKey]);
  return <div ref={host} class="launcher-host" data-testid="launcher" />;
}
