/**
 * @module
 * The extension's frame around the Launcher on ticket pages: a small toggle button in the corner that opens the
 * panel, and a sign-in prompt when the extension has no token yet.
 */
import type { ComponentChildren } from 'preact';
import { hostnameProblem } from '@fixpoint/protocol';
import { useErrorBoundary, useEffect, useRef, useState } from 'preact/hooks';
import type { InsertOutcome, LauncherApi } from './launcher-api';
import { Launcher } from './Launcher';

export interface LauncherDockProps {
  api: LauncherApi;
  signedIn: boolean;
  /** Device name the adapter read, if any; looked up only when it is a host name. */
  deviceHint?: string;
  ticketId?: string;
  siteLabel: string;
  onOpenOptions(): void;
  onCopy(text: string): Promise<void>;
  onInsertSummary(text: string): InsertOutcome | Promise<InsertOutcome>;
}

export const dockStyles = `
.fp-dock { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; display: flex; flex-direction: column; align-items: flex-end; gap: 8px;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; direction: ltr; unicode-bidi: isolate;
  text-align: left; letter-spacing: normal; word-spacing: normal; text-transform: none; writing-mode: horizontal-tb; }
.fp-dock-toggle { font: inherit; font-weight: 600; border: 0; border-radius: 999px; padding: 7px 14px; cursor: pointer;
  background: #2457d6; color: #fff; box-shadow: 0 2px 8px rgba(0,0,0,.25); max-width: 320px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.fp-dock-toggle:focus-visible { outline: 2px solid #2457d6; outline-offset: 2px; }
.fp-dock-notice { margin: 0; padding: 8px 12px; border-left: 3px solid #8a5a00; background: #fff8e6; color: #1d2330; overflow-wrap: anywhere; }
.fp-dock-panel { width: 380px; max-width: calc(100vw - 32px); max-height: calc(100vh - 90px); overflow: auto; border-radius: 10px;
  box-shadow: 0 8px 28px rgba(0,0,0,.3); }
`;

/** Keeps a rendering bug inside the panel: the agent sees a message and can start over, the page is unaffected. */
function PanelBoundary({ children }: { children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary();
  if (!error) return <>{children}</>;
  return (
    <div class="fp-launcher" role="alert">
      <p>The Fixpoint panel hit an unexpected error.</p>
      <button type="button" onClick={reset}>Start over</button>
    </div>
  );
}

export function LauncherDock(props: LauncherDockProps) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  // Move focus into the panel when it opens, so keyboard users land where the work is.
  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLElement>('input, select, button:not([aria-label^="Close"])')?.focus();
  }, [open]);
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const label = props.deviceHint ? `Fixpoint · ${props.deviceHint}` : 'Fixpoint';
  // Device names are host names: other text (markup, a sentence) is never looked up, and the agent is told why.
  const problem = props.deviceHint ? hostnameProblem(props.deviceHint) : undefined;
  return (
    <div class="fp-dock">
      {open && (
        <div class="fp-dock-panel" ref={panel} id="fp-dock-panel">
          {problem && (
            <p class="fp-dock-notice" role="status">
              “{props.deviceHint}” on this page is not a device name ({problem}), so it was not looked up. Search for the device below.
            </p>
          )}
          {props.signedIn ? (
            <PanelBoundary>
              <Launcher
              // Another ticket gets a fresh panel: a run and its summary stay with the ticket they were made for.
              key={props.ticketId ?? ''}
              api={props.api}
              deviceHint={problem ? undefined : props.deviceHint}
              trigger="extension"
              contextLabel={[props.ticketId, props.siteLabel].filter(Boolean).join(' · ')}
              onCopy={props.onCopy}
              onInsertSummary={props.onInsertSummary}
              onClose={close}
              />
            </PanelBoundary>
          ) : (
            <div class="fp-launcher" role="region" aria-label="Fixpoint" onKeyDown={(e) => e.key === 'Escape' && close()}>
              <h2>Fixpoint</h2>
              <p>Sign in to launch actions from this page.</p>
              <div class="fp-actions-bar">
                <button type="button" class="fp-primary" onClick={props.onOpenOptions}>Open sign-in</button>
                <button type="button" onClick={close}>Close</button>
              </div>
            </div>
          )}
        </div>
      )}
      <button
        ref={toggle}
        type="button"
        class="fp-dock-toggle"
        aria-expanded={open}
        aria-controls="fp-dock-panel"
        title={open ? 'Hide the Fixpoint panel' : 'Show the Fixpoint panel'}
        onClick={() => (open ? close() : setOpen(true))}
      >
        {label}
      </button>
    </div>
  );
}
