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
  const parts: string[] = [];
  let length = 0;
  const view = options.computedStyle ? (root.ownerDocument ?? (root as Document)).defaultView : null;
  const push = (s: string) => {
    parts.push(s);
    length += s.length;
  };
  const visit = (node: Node, shown: boolean): void => {
    if (length > maxTextLength) return;
    if (node.nodeType === 3) {
      if (shown) push(node.nodeValue ?? '');
      return;
    }
    if (node.nodeType !== 1) {
      if (node.nodeType === 9 || node.nodeType === 11) node.childNodes.forEach((child) => visit(child, shown));
      return;
    }
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
    if (tag === 'br') return push('\n');
    const cell = cellTags.has(tag) || display === 'table-cell';
    const block = !cell && (blockTags.has(tag) || (display !== '' && !display.startsWith('inline') && display !== 'contents'));
    if (block) push('\n');
    if (tag === 'input' || tag === 'textarea') {
      if (visible && (el as HTMLInputElement).type !== 'hidden' && (el as HTMLInputElement).type !== 'password') push(` ${(el as HTMLInputElement).value} `);
    } else if (tag === 'slot') {
      const assigned = (el as HTMLSlotElement).assignedNodes?.({ flatten: true }) ?? [];
      (assigned.length ? assigned : Array.from(el.childNodes)).forEach((child) => visit(child, visible));
    } else {
      const children = el.shadowRoot ? el.shadowRoot.childNodes : el.childNodes;
      children.forEach((child) => visit(child, visible));
    }
    if (cell) push('\t');
    if (block) push('\n');
  };
  visit(root, true);
  return parts.join('');
}
