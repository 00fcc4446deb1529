/**
 * @module
 * The content script's work: ask the background which site this is, read the page with its adapter, report the
 * reading, and show the launcher dock in a shadow root on ticket pages. Nothing here may break the host page:
 * every step is guarded, and the UI lives in its own shadow root with its own styles.
 */
import { h, render } from 'preact';
import { LauncherDock, dockStyles, launcherStyles } from '@fixpoint/launcher';
import { launcherHostTag } from '../adapters/text';
import { adaptersFor, factsOf, observeSite, type PageContext, type SiteAdapter } from '../adapters';
import type { SiteConfig } from '../settings';
import { copyText, insertIntoCommentBox } from './insert';
import { createMessageLauncherApi, sendRequest, type RuntimeApi } from './messaging';

export const hostTagName = launcherHostTag;

interface Hello {
  site: SiteConfig;
  signedIn: boolean;
}

/**
 * What the host element must look like whatever the page's CSS says. Inline `!important` outranks every page rule,
 * `!important` or not, on its tag, attributes, `*` or `:root`. `all` resets every property but `direction` and
 * `unicode-bidi`, which an RTL page would otherwise pass down into the panel.
 */
const hostStyle = [
  'all: initial', 'display: block', 'position: fixed', 'inset: auto 0 0 auto', 'width: 0', 'height: 0', 'margin: 0', 'padding: 0',
  'border: 0', 'overflow: visible', 'z-index: 2147483647', 'direction: ltr', 'unicode-bidi: isolate', 'visibility: visible',
  'opacity: 1', 'pointer-events: auto', 'transform: none', 'filter: none', 'clip-path: none', 'contain: none', 'background: none',
].map((d) => `${d} !important;`).join(' ');

/**
 * Creates the host element and its shadow root; page CSS cannot reach inside, ours cannot leak out. The host hangs
 * off the document element, never inside page containers (whose transform, zoom or overflow would carry it along),
 * and is shown in the top layer as a manual popover where the browser has one, above any overlay however high its
 * z-index and outside any transform on the root.
 */
export function createShadowHost(doc: Document): { host: HTMLElement; mount: HTMLElement } {
  const host = doc.createElement(hostTagName);
  host.setAttribute('style', hostStyle);
  const shadow = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = launcherStyles + dockStyles;
  const mount = doc.createElement('div');
  mount.dir = 'ltr';
  shadow.append(style, mount);
  if ('showPopover' in host) host.popover = 'manual';
  // documentElement, not body: single-page apps sometimes replace body's children wholesale.
  doc.documentElement.appendChild(host);
  keepOnTop(host);
  return { host, mount };
}

/** Brings the host (back) into the top layer and undoes a zoom set on the root, which every descendant inherits. */
export function keepOnTop(host: HTMLElement): void {
  try {
    if (host.popover === 'manual' && !host.matches(':popover-open')) host.showPopover();
  } catch {
    // A page in fullscreen or with a modal dialog may refuse; the fixed host still shows.
  }
  const view = host.ownerDocument.defaultView;
  const zoom = view ? Number.parseFloat(view.getComputedStyle(host.ownerDocument.documentElement).zoom) : 1;
  // Always inline, even at 1: a page rule such as `* { zoom: 2 !important }` would otherwise apply to the host.
  const wanted = String(zoom > 0 ? 1 / zoom : 1);
  if (host.style.getPropertyValue('zoom') !== wanted) host.style.setProperty('zoom', wanted, 'important');
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
    else keepOnTop(shell.host);
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
