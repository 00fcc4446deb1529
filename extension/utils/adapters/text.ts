/**
 * @module
 * The text a person sees under a node, read the way `innerText` reads it but through open shadow roots and without
 * layout: element boundaries become white space (a newline after a block, a tab between table cells), so a regular
 * expression can match across a two-cell row; style, script, template and noscript text never counts as a value.
 */

/** The launcher's own host element: the panel's text (its "Device" label and search box) is never page text. */
export const launcherHostTag = 'fixpoint-launcher';
/** Elements whose text is never shown as page text (style sheets, scripts, inert templates), and the launcher itself. */
const skippedTags = new Set(['style', 'script', 'template', 'noscript', 'link', 'meta', 'head', 'title', launcherHostTag]);
/** Elements that end a line when no computed style says otherwise. */
const blockTags = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'legend', 'li', 'main',
  'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul',
]);
const cellTags = new Set(['td', 'th']);
/** Past this much text a page is not read further: a ticket's fields come long before. */
const maxTextLength = 500_000;

export interface ReadTextOptions {
  /** Consult computed styles to skip what is not displayed (`display: none`, `visibility: hidden`); costs a style read per element. */
  computedStyle?: boolean;
}

/** Whether `el`'s text is never shown: a style/script/template element, or one marked `hidden`. */
export function isTextless(el: Element): boolean {
  return skippedTags.has(el.localName) || el.hasAttribute('hidden');
}

/**
 * The visible text under `root` (an element, a shadow root or a document) with element boundaries as separators.
 * Reads open shadow roots in place of their host's light children, and a slot's assigned nodes in place of the slot.
 */
export function readText(root: Node, options: ReadTextOptions = {}): string {
  let out = '';
  const view = options.computedStyle ? (root.ownerDocument ?? (root as Document)).defaultView : null;
  const visitAll = (nodes: Iterable<Node>, shown: boolean) => {
    for (const node of nodes) visit(node, shown);
  };
  const visitChildren = (parent: Node, shown: boolean) => {
    for (let child = parent.firstChild; child && out.length <= maxTextLength; child = child.nextSibling) visit(child, shown);
  };
  const visit = (node: Node, shown: boolean): void => {
    if (node.nodeType === 3) {
      if (shown) out += (node as Text).data;
      return;
    }
    if (node.nodeType === 9 || node.nodeType === 11) return visitChildren(node, shown);
    if (node.nodeType !== 1) return;
    const el = node as Element;
    if (isTextless(el)) return;
    let display = '';
    let visible = shown;
    if (view) {
      const style = view.getComputedStyle(el);
      display = style.display;
      if (display === 'none') return;
      visible = style.visibility !== 'hidden' && style.visibility !== 'collapse';
    }
    const tag = el.localName;
    if (tag === 'br') {
      out += '\n';
      return;
    }
    const cell = cellTags.has(tag) || display === 'table-cell';
    const block = !cell && (blockTags.has(tag) || (display !== '' && !display.startsWith('inline') && display !== 'contents'));
    if (block) out += '\n';
    if (tag === 'input' || tag === 'textarea') {
      const input = el as HTMLInputElement;
      if (visible && input.type !== 'hidden' && input.type !== 'password') out += ` ${input.value} `;
    } else if (tag === 'slot') {
      const assigned = (el as HTMLSlotElement).assignedNodes?.({ flatten: true }) ?? [];
      if (assigned.length) visitAll(assigned, visible);
      else visitChildren(el, visible);
    } else visitChildren(el.shadowRoot ?? el, visible);
    if (cell) out += '\t';
    if (block) out += '\n';
  };
  visit(root, true);
  return out;
}

/**
 * The visible text of a whole page (or element), as `readText` gives it, but fast on a laid-out page: subtrees
 * without shadow roots are read with the browser's own `innerText` (which knows what is displayed, and separates
 * cells and blocks the same way), and only the paths down to open shadow roots are walked. Without layout (a hidden
 * frame, a test DOM) it falls back to `readText` with computed styles.
 */
export function readPageText(root: Element): string {
  const laidOut = typeof (root as HTMLElement).checkVisibility === 'function' && root.getBoundingClientRect().width > 0;
  return laidOut ? layoutText(root) : readText(root, { computedStyle: true });
}

function layoutText(root: Element | ShadowRoot): string {
  // Shadow hosts, and slots (whose assigned nodes innerText does not see), are where innerText stops short.
  const hosts = Array.from(root.querySelectorAll('*')).filter((el) => (el.shadowRoot && el.localName !== launcherHostTag) || el.localName === 'slot');
  if (!hosts.length && root.nodeType === 1) return (root as HTMLElement).innerText;
  // The ancestors of shadow hosts are walked; everything else is read in one innerText call per subtree.
  const onPath = new Set<Node>();
  for (const host of hosts) for (let n: Node | null = host; n && n !== root && !onPath.has(n); n = n.parentNode) onPath.add(n);
  let out = '';
  const walk = (parent: Node) => {
    for (let child = parent.firstChild; child && out.length <= maxTextLength; child = child.nextSibling) {
      if (child.nodeType === 3) {
        out += (child as Text).data;
        continue;
      }
      if (child.nodeType !== 1) continue;
      const el = child as HTMLElement;
      if (isTextless(el)) continue;
      const tag = el.localName;
      // No box: hidden, unless it only passes its children on (a slot, `display: contents`), whose innerText would
      // be its raw textContent, so it is walked instead.
      const rendered = el.checkVisibility();
      const passThrough = !rendered && (tag === 'slot' || getComputedStyle(el).display === 'contents');
      if (!rendered && !passThrough) continue;
      const cell = cellTags.has(tag);
      const block = !cell && blockTags.has(tag);
      if (block) out += '\n';
      if (el.shadowRoot) out += ` ${layoutText(el.shadowRoot)} `;
      else if (tag === 'slot') readSlot(el as unknown as HTMLSlotElement);
      else if (onPath.has(el) || passThrough) walk(el);
      else out += el.innerText;
      if (cell) out += '\t';
      if (block) out += '\n';
    }
  };
  const readSlot = (slot: HTMLSlotElement) => {
    const assigned = slot.assignedNodes({ flatten: true });
    if (!assigned.length) return walk(slot);
    for (const n of assigned) {
      if (n.nodeType === 3) out += (n as Text).data;
      else if (n.nodeType === 1 && !isTextless(n as Element) && (n as HTMLElement).checkVisibility()) out += ` ${layoutText(n as Element)} `;
    }
  };
  walk(root);
  return out;
}
