/**
 * @module
 * Watches a ticket page for the changes that matter to an adapter: late rendering, SPA navigation, edited fields,
 * web components that attach their shadow roots late, and same-origin frames (ServiceNow's classic form inside the
 * Next Experience shell). Event driven only: MutationObservers plus a few events, coalesced to one read per frame.
 */
import type { PageContext, PageFacts } from './types';
import { factsOf, sameFacts } from './types';

/**
 * Attributes whose change can change the reading: values, and what decides which ticket is shown (a tab switch
 * flips aria-selected/hidden/class/style without adding or removing a node).
 */
const observedAttributes = [
  'value', 'title', 'aria-label', 'href', 'data-value', 'src', 'aria-selected', 'aria-hidden', 'hidden', 'inert', 'class', 'style', 'readonly', 'disabled',
];
/** Cap on custom elements remembered while they wait for their shadow root, so a huge page cannot grow it unbounded. */
const maxPendingHosts = 2000;

/**
 * Calls `read` whenever `doc` may have changed and reports to `onChange` the first result and every result whose
 * device, user or ticket differs from the last one reported. Returns a function that stops watching.
 */
export function watchPage(
  doc: Document,
  read: () => PageContext,
  onChange: (context: PageContext) => void,
  /** Something else whose change must also be reported (e.g. which adapter read the page). */
  extraKey: () => string = () => '',
): () => void {
  let last: PageFacts | undefined;
  let lastKey = '';
  let scheduled = false;
  let stopped = false;
  const cleanups: (() => void)[] = [];
  const roots = new WeakSet<Node>();
  const pendingHosts = new Set<Element>();
  const win = doc.defaultView;

  const flush = () => {
    scheduled = false;
    if (stopped) return;
    for (const host of pendingHosts) {
      if (host.shadowRoot) {
        pendingHosts.delete(host);
        attachRoot(host.shadowRoot);
      } else if (!host.isConnected) pendingHosts.delete(host);
    }
    let context: PageContext;
    try {
      context = read();
    } catch {
      return; // A page mid-render can confuse a reader; the next mutation tries again.
    }
    const facts = factsOf(context);
    const key = extraKey();
    if (last && sameFacts(last, facts) && key === lastKey) return;
    last = facts;
    lastKey = key;
    onChange(context);
  };

  const schedule = () => {
    if (scheduled || stopped) return;
    scheduled = true;
    // One read per frame while the page renders; a hidden tab has no frames, so fall back to a microtask there.
    if (win?.requestAnimationFrame && doc.visibilityState !== 'hidden') win.requestAnimationFrame(flush);
    else queueMicrotask(flush);
  };

  const scan = (node: Node) => {
    // Elements, documents and shadow roots (fragments) can hold more hosts and frames.
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const start = node as Element | Document | DocumentFragment;
    const visit = (el: Element) => {
      if (el.shadowRoot) attachRoot(el.shadowRoot);
      else if (el.tagName.includes('-') && pendingHosts.size < maxPendingHosts) pendingHosts.add(el);
      if (el.tagName === 'IFRAME') attachFrame(el as HTMLIFrameElement);
    };
    if (start.nodeType === 1) visit(start as Element);
    for (const el of Array.from(start.querySelectorAll('*'))) visit(el);
  };

  function attachRoot(root: Document | ShadowRoot) {
    if (roots.has(root)) return;
    roots.add(root);
    const observer = new (root.ownerDocument?.defaultView ?? win ?? globalThis).MutationObserver((records) => {
      for (const record of records) for (const added of Array.from(record.addedNodes)) scan(added);
      schedule();
    });
    observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: observedAttributes });
    // Typing or picking a value changes a control's property, not the DOM; `change` does not cross shadow roots.
    root.addEventListener('input', schedule, true);
    root.addEventListener('change', schedule, true);
    cleanups.push(() => {
      observer.disconnect();
      root.removeEventListener('input', schedule, true);
      root.removeEventListener('change', schedule, true);
    });
    scan(root);
  }

  function attachFrame(frame: HTMLIFrameElement) {
    const attachDoc = () => {
      try {
        const inner = frame.contentDocument;
        if (inner) attachRoot(inner);
      } catch {
        // Cross-origin frame: not ours to read.
      }
      schedule();
    };
    if (roots.has(frame)) return;
    roots.add(frame);
    frame.addEventListener('load', attachDoc);
    cleanups.push(() => frame.removeEventListener('load', attachDoc));
    attachDoc();
  }

  attachRoot(doc);
  // Focus moves are composed (they cross shadow roots), so they also reveal work done inside late shadow content.
  doc.addEventListener('focusin', schedule, true);
  cleanups.push(() => doc.removeEventListener('focusin', schedule, true));
  if (win) {
    const onNavigate = () => schedule();
    win.addEventListener('popstate', onNavigate);
    win.addEventListener('hashchange', onNavigate);
    // The Navigation API reports pushState navigations that neither popstate nor the DOM may reveal at once.
    const nav = (win as unknown as { navigation?: EventTarget }).navigation;
    nav?.addEventListener?.('navigatesuccess', onNavigate);
    cleanups.push(() => {
      win.removeEventListener('popstate', onNavigate);
      win.removeEventListener('hashchange', onNavigate);
      nav?.removeEventListener?.('navigatesuccess', onNavigate);
    });
  }
  schedule();

  return () => {
    stopped = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
    pendingHosts.clear();
  };
}
