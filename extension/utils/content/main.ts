/**
 * @module
 * The content script's work: ask the background which site this is, read the page with its adapter, report the
 * reading, and show the launcher dock in a shadow root on ticket pages. Nothing here may break the host page:
 * every step is guarded, and the UI lives in its own shadow root with its own styles.
 */
import { h, render } from 'preact';
import { LauncherDock, dockStyles } from '../../components/LauncherDock';
import { launcherStyles } from '../../components/launcher.styles';
import { adaptersFor, factsOf, observeSite, type PageContext, type SiteAdapter } from '../adapters';
import type { SiteConfig } from '../settings';
import { copyText, insertIntoCommentBox } from './insert';
import { createMessageLauncherApi, sendRequest, type RuntimeApi } from './messaging';

export const hostTagName = 'fixpoint-launcher';

interface Hello {
  site: SiteConfig;
  signedIn: boolean;
}

/** Creates the host element and its shadow root; page CSS cannot reach inside, ours cannot leak out. */
export function createShadowHost(doc: Document): { host: HTMLElement; mount: HTMLElement } {
  const host = doc.createElement(hostTagName);
  // Inline and !important so page rules on unknown elements cannot move, hide or resize the host.
  host.setAttribute('style', 'all: initial !important; position: fixed !important; z-index: 2147483647 !important; inset: auto 0 0 auto !important;');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = launcherStyles + dockStyles;
  const mount = doc.createElement('div');
  shadow.append(style, mount);
  // documentElement, not body: single-page apps sometimes replace body's children wholesale.
  doc.documentElement.appendChild(host);
  return { host, mount };
}

/** Starts the launcher on `doc`. Resolves to a function that removes everything it added. */
export async function startLauncher(doc: Document, runtime: RuntimeApi): Promise<() => void> {
  let hello: Hello;
  try {
    hello = await sendRequest<Hello>(runtime, { type: 'hello' });
  } catch {
    return () => undefined; // Not a configured site any more, or the extension is gone: stay invisible.
  }
  const api = createMessageLauncherApi(runtime);
  const adapters = adaptersFor(hello.site);
  const siteLabel = hello.site.kind === 'generic' ? hello.site.site.label : (adapters[0]?.label ?? '');
  let shell: { host: HTMLElement; mount: HTMLElement } | undefined;
  let latest: PageContext = {};

  const show = (adapter: SiteAdapter | undefined, context: PageContext) => {
    latest = context;
    if (!adapter) {
      // Not a ticket page (dashboard, list): no dock.
      if (shell) render(null, shell.mount);
      shell?.host.remove();
      shell = undefined;
      return;
    }
    if (!shell || !shell.host.isConnected) shell = createShadowHost(doc);
    render(
      h(LauncherDock, {
        api,
        signedIn: hello.signedIn,
        deviceHint: context.device,
        ticketId: context.ticketId,
        siteLabel: adapter.label || siteLabel,
        onOpenOptions: () => void sendRequest(runtime, { type: 'openOptions' }).catch(() => undefined),
        onCopy: (text) => copyText(doc, text),
        // Read the page again at insert time: the editor may have been re-rendered, or another tab shown, since the
        // last reading. Only the box of the ticket shown now, read with its device, is written to.
        onInsertSummary: (text) => {
          const now = adapter.find(doc);
          return now.ticketId === latest.ticketId && now.device === latest.device ? insertIntoCommentBox(now.commentBox, text) : 'no-box';
        },
      }),
      shell.mount,
    );
  };

  const stop = observeSite(doc, adapters, (adapter, context) => {
    try {
      show(adapter, context);
      if (adapter) void sendRequest(runtime, { type: 'page', adapter: adapter.id, facts: factsOf(context) }).catch(() => undefined);
    } catch (err) {
      console.debug('Fixpoint launcher:', err);
    }
  });
  return () => {
    stop();
    if (shell) render(null, shell.mount);
    shell?.host.remove();
  };
}
