/**
 * @module
 * DOM readers shared by the site adapters. They take the root to read as a parameter, read through open shadow roots
 * (workspaces built from web components) and never throw: a page we do not understand yields nothing. Text is read
 * with `readText`, so style, script and template text never counts as a value.
 */
import { isTextless, launcherHostTag, readText } from './text';

export { readText } from './text';

/** Longest value an adapter reports; longer text is not a device name or a ticket number. */
const maxValueLength = 200;

/** Every element under `root`, in document order, descending into open shadow roots (also `root`'s own). */
export function* deepElements(root: ParentNode): Generator<Element> {
  const own = (root as Element).shadowRoot;
  const stack: Element[] = [...(own ? Array.from(own.children) : []), ...Array.from(root.children)].reverse();
  while (stack.length) {
    const el = stack.pop()!;
    if (el.localName === launcherHostTag) continue; // never read our own panel as part of the page
    yield el;
    const kids = Array.from(el.children);
    if (el.shadowRoot) kids.unshift(...Array.from(el.shadowRoot.children));
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}

/** First element matching `selector` under `root`, light DOM first, then through open shadow roots. */
export function deepQuery(root: ParentNode, selector: string): Element | null {
  try {
    const light = root.querySelector(selector);
    if (light) return light;
    const own = (root as Element).shadowRoot;
    const inOwn = own ? deepQuery(own, selector) : null;
    if (inOwn) return inOwn;
    for (const el of deepElements(root)) if (el.shadowRoot) {
      const inner = deepQuery(el.shadowRoot, selector);
      if (inner) return inner;
    }
  } catch {
    // An invalid selector (from a user's generic site settings) matches nothing.
  }
  return null;
}

/** Trims, collapses white space and caps length; empty text becomes undefined. */
export function cleanText(text: string | null | undefined): string | undefined {
  const s = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!s || s.length > maxValueLength) return undefined;
  return s;
}

/** The value a person sees in `el`: a form control's value, else its text (through its shadow root when it has one). */
export function readValue(el: Element | null | undefined): string | undefined {
  if (!el) return undefined;
  const tag = el.tagName.toLowerCase();
  if (tag === 'input' || tag === 'textarea') return cleanText((el as HTMLInputElement).value);
  if (tag === 'select') {
    const select = el as HTMLSelectElement;
    return cleanText(select.selectedOptions[0]?.textContent ?? select.value);
  }
  if (el.shadowRoot) {
    const control = deepQuery(el.shadowRoot, 'input, textarea, select');
    const fromControl = readValue(control);
    if (fromControl) return fromControl;
    // A component that has not rendered yet holds only its <style>: that reads as nothing, not as a value.
    return cleanText(readText(el.shadowRoot)) ?? cleanText(Array.from(el.childNodes, (n) => readText(n)).join(''));
  }
  const control = el.querySelector('input:not([type=hidden]), textarea, select');
  if (control) return readValue(control);
  return cleanText(readText(el));
}

function normalizeLabel(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().replace(/[:*]+$/, '').trim().toLowerCase();
}

/** The element after `el` that holds its value: its next sibling, or the next sibling of a near ancestor. */
function valueHolderAfter(el: Element, stopAt: ParentNode): Element | null {
  let cur: Element | null = el;
  for (let depth = 0; cur && depth < 4; depth++) {
    let next = cur.nextElementSibling;
    while (next && isTextless(next)) next = next.nextElementSibling;
    if (next) return next;
    const parent: Node | null = cur.parentNode;
    // nodeType, not instanceof: the page may come from another window (a same-origin frame).
    if (!parent || parent === stopAt || parent.nodeType !== 1) return null;
    cur = parent as Element;
  }
  return null;
}

/**
 * Finds the value shown next to a field label ("Device", "Requester"), the way ticket pages lay out fields:
 * `<label for>` to its control, `<dt>`/`<dd>`, `<th>`/`<td>`, or a heading followed by its value.
 * Labels compare case-insensitively, ignoring a trailing colon or required-star.
 */
export function findValueByLabel(
  root: ParentNode,
  labels: readonly string[],
  /** Skips labels the agent cannot see (a background ticket's fields, a collapsed template). */
  shown?: (el: Element) => boolean,
): string | undefined {
  const wanted = new Set(labels.map(normalizeLabel).filter(Boolean));
  if (!wanted.size) return undefined;
  for (const el of deepElements(root)) {
    // Labels are short leaf-ish elements; skipping long text keeps the walk cheap on big pages.
    if (el.childElementCount > 3 || isTextless(el)) continue;
    if ((el.textContent ?? '').length > 80) continue;
    const text = readText(el);
    if (!wanted.has(normalizeLabel(text))) continue;
    // A wrapper whose only text is the label (a field container around `<label>` and an empty input): read the
    // innermost element that carries the label instead, which the walk visits next.
    if (Array.from(el.children).some((child) => wanted.has(normalizeLabel(readText(child))))) continue;
    if (shown && !shown(el)) continue;
    const tag = el.tagName.toLowerCase();
    const rootNode = el.getRootNode() as Document | ShadowRoot;
    if (tag === 'label') {
      const forId = el.getAttribute('for');
      const target = forId ? rootNode.getElementById?.(forId) : el.querySelector('input, textarea, select');
      const value = readValue(target) ?? readValue(valueHolderAfter(el, rootNode));
      if (value) return value;
      continue;
    }
    if (el.closest('label')) continue;
    const holder = valueHolderAfter(el, rootNode);
    const value = holder && !wanted.has(normalizeLabel(readText(holder))) ? readValue(holder) : undefined;
    if (value) return value;
  }
  return undefined;
}

/** First match of `regex` in `text`: its first capture group when it has one, else the whole match. */
export function extract(text: string | undefined, regex: RegExp | undefined): string | undefined {
  if (!text || !regex) return undefined;
  const m = regex.exec(text);
  return m ? cleanText(m[1] ?? m[0]) : undefined;
}

/** Compiles a user-supplied regular expression; an invalid one yields undefined instead of throwing. */
export function compileRegex(source: string | undefined, flags = 'i'): RegExp | undefined {
  if (!source) return undefined;
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

/** Avatars, icons and screen-reader-only extras that tools render inside a person's name chip. */
const notNameSelector =
  'img, svg, label, [role="img"], [aria-hidden="true"], [hidden], [data-garden-id*="avatar"], [class*="avatar" i], [class*="initials" i], [class*="sr-only" i], [class*="visually-hidden" i]';
const emailPattern = /<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?/g;

/**
 * A person's name as shown in a user chip, without the avatar's initials ("HS"), a glued-on e-mail address or the
 * brackets around it. Reads form controls by value and looks through open shadow roots.
 */
export function readPersonName(el: Element | null | undefined): string | undefined {
  if (!el) return undefined;
  const tag = el.tagName.toLowerCase();
  let text: string;
  // A field component (a typeahead, a select) holds the name in its control, next to its label.
  const control = tag === 'input' || tag === 'textarea' || tag === 'select' ? el : deepQuery(el, 'input:not([type=hidden]), textarea, select');
  if (control) text = readValue(control) ?? '';
  else {
    const parts: string[] = [];
    const walk = (node: Node) => {
      if (node.nodeType === 3) parts.push(node.nodeValue ?? '');
      if (node.nodeType !== 1 && node.nodeType !== 11) return;
      if (node.nodeType === 1) {
        const child = node as Element;
        if (child !== el && child.matches(notNameSelector)) return;
        if (child.shadowRoot) return void walk(child.shadowRoot);
      }
      for (const kid of Array.from(node.childNodes)) walk(kid);
      // Separate blocks and chips so adjacent elements do not glue words together.
      parts.push(' ');
    };
    walk(el);
    text = parts.join('');
  }
  return cleanText(text.replace(emailPattern, ' ').replace(/[()[\]<>]|\s[·|,-]\s*$/g, ' '));
}
