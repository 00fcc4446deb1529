/**
 * @module
 * Which part of a ticket page the agent is looking at. Workspace tools keep background tickets mounted (hidden tabs,
 * `display:none` screens, panes moved off-screen), often earlier in the document than the active one, so every
 * reading must come from elements that are actually shown.
 */

/** The element (or frame) that holds `node` in the flat tree: its parent, a shadow root's host, a document's frame. */
function composedParent(el: Element): Element | null {
  if (el.parentElement) return el.parentElement;
  const root = el.parentNode;
  if (root && root.nodeType === 11) return (root as ShadowRoot).host ?? null;
  if (root && root.nodeType === 9) {
    try {
      return ((root as Document).defaultView?.frameElement as Element | null) ?? null;
    } catch {
      return null; // A cross-origin parent: nothing more to check from here.
    }
  }
  return null;
}

/** Whether the browser lays this document out (happy-dom and other DOM-only environments do not). */
function hasLayout(doc: Document): boolean {
  const rect = doc.documentElement.getBoundingClientRect();
  return rect.width > 0 || rect.height > 0;
}

/** Hidden by markup or style: `hidden`, `inert`, `aria-hidden`, `display:none`, and (on `el` itself) `visibility:hidden`. */
function hiddenByMarkup(el: Element, win: Window | null, self: boolean): boolean {
  if (el.hasAttribute('hidden') || el.hasAttribute('inert') || el.getAttribute('aria-hidden') === 'true') return true;
  if (!win || el.tagName === 'HTML') return false;
  const computed = win.getComputedStyle(el);
  if (computed.display === 'none' || computed.contentVisibility === 'hidden') return true;
  // Visibility inherits (a child may turn it back on), so only the element's own value counts.
  return self && computed.visibility === 'hidden';
}

/** Zero-size, or collapsed along an axis it clips, or entirely above, left or right of the page. */
function hiddenByGeometry(el: Element, win: Window): boolean {
  const rect = el.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) {
    const style = win.getComputedStyle(el);
    if (rect.width === 0 && rect.height === 0 && el.getClientRects().length === 0 && style.display !== 'contents') return true;
    // Collapsed to nothing along an axis whose overflow is clipped: its content cannot show.
    if ((rect.height === 0 && style.overflowY !== 'visible') || (rect.width === 0 && style.overflowX !== 'visible')) return true;
  }
  const right = rect.right + win.scrollX;
  const bottom = rect.bottom + win.scrollY;
  const width = Math.max(win.document.documentElement.scrollWidth, win.innerWidth);
  return (rect.width > 0 || rect.height > 0) && (right <= 0 || bottom <= 0 || rect.left + win.scrollX >= width);
}

/**
 * Whether `el` is shown to the agent: neither it nor any ancestor (across shadow roots and same-origin frames) is
 * `hidden`, `inert`, `aria-hidden`, `display:none`, `visibility:hidden`, zero-size with clipped content, or off-screen.
 */
export function isShown(el: Element | null | undefined): boolean {
  if (!el || !el.isConnected) return false;
  const layout = new Map<Document, boolean>();
  let cur: Element | null = el;
  let self = true;
  while (cur) {
    const doc = cur.ownerDocument;
    const win = doc.defaultView;
    if (hiddenByMarkup(cur, win, self)) return false;
    if (!layout.has(doc)) layout.set(doc, hasLayout(doc));
    if (win && layout.get(doc) && cur.tagName !== 'HTML' && cur.tagName !== 'BODY' && hiddenByGeometry(cur, win)) return false;
    self = false;
    cur = composedParent(cur);
  }
  return true;
}

/** Whether a comment box can take text: shown, and not disabled or read-only. */
export function isEditable(el: Element | null | undefined): boolean {
  if (!el || !isShown(el)) return false;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'input') {
    const field = el as HTMLTextAreaElement;
    return !field.disabled && !field.readOnly && !el.closest('fieldset[disabled]');
  }
  if (el.getAttribute('aria-disabled') === 'true' || el.getAttribute('aria-readonly') === 'true') return false;
  return (el as HTMLElement).isContentEditable || el.getAttribute('contenteditable') === 'true';
}

/** Every element matching `selector` under `root`: light DOM first, then open shadow roots (`root`'s own included). */
export function deepQueryAll(root: ParentNode, selector: string): Element[] {
  try {
    // Native queries do the matching; only shadow hosts are visited in script.
    const found = Array.from(root.querySelectorAll(selector));
    const own = (root as Element).shadowRoot;
    if (own) found.push(...deepQueryAll(own, selector));
    for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) found.push(...deepQueryAll(el.shadowRoot, selector));
    return found;
  } catch {
    return []; // An invalid selector matches nothing.
  }
}

/** The first shown element matching one of `selectors` (tried in order) under `root`. */
export function firstShown(root: ParentNode, selectors: readonly string[]): Element | undefined {
  for (const selector of selectors) {
    const el = deepQueryAll(root, selector).find(isShown);
    if (el) return el;
  }
  return undefined;
}

/** The first box matching one of `selectors` that is shown and can take text. */
export function firstEditable(root: ParentNode, selectors: readonly string[]): Element | undefined {
  for (const selector of selectors) {
    const el = deepQueryAll(root, selector).find(isEditable);
    if (el) return el;
  }
  return undefined;
}

/**
 * The one shown container among those matching `selector` (a workspace tab, a record screen). `undefined` when the
 * page has no such containers; `null` when it has some but not exactly one is shown, so nothing can be tied to the
 * ticket the agent is looking at.
 */
export function activeContainer(root: ParentNode, selector: string): Element | null | undefined {
  const all = deepQueryAll(root, selector);
  if (!all.length) return undefined;
  // A container nested in another shown one (a sub-tab inside a ticket) belongs to it: keep the outermost.
  const shown = all.filter(isShown).filter((el, _, list) => !list.some((other) => other !== el && contains(other, el)));
  return shown.length === 1 ? shown[0]! : null;
}

function contains(outer: Element, inner: Element): boolean {
  for (let cur: Element | null = inner; cur; cur = composedParent(cur)) if (cur === outer) return true;
  return false;
}
