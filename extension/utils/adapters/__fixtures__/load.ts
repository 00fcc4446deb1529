/**
 * @module
 * Test helper: shows a saved ticket page in the test's window (happy-dom), the way the content script would see it.
 * Declarative shadow roots (`<template shadowrootmode="open">`, how a page with web components serializes) are attached
 * as real open shadow roots, because parsers only honour them when a page first loads.
 */

/** Attaches every `<template shadowrootmode>` under `root` to its parent as a shadow root, recursively. */
export function attachDeclarativeShadowRoots(root: ParentNode): void {
  for (const template of Array.from(root.querySelectorAll<HTMLTemplateElement>('template[shadowrootmode]'))) {
    const host = template.parentElement;
    if (!host || host.shadowRoot) continue;
    const shadow = host.attachShadow({ mode: template.getAttribute('shadowrootmode') === 'closed' ? 'closed' : 'open' });
    shadow.appendChild(template.content);
    template.remove();
    attachDeclarativeShadowRoots(shadow);
  }
}

/** Replaces the test window's page with `html` at `url` and returns its document. */
export function showPage(html: string, url: string): Document {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const adopt = (from: Element, to: Element) => {
    for (const attr of Array.from(to.attributes)) to.removeAttribute(attr.name);
    for (const attr of Array.from(from.attributes)) to.setAttribute(attr.name, attr.value);
    to.replaceChildren(...Array.from(from.childNodes).map((n) => document.importNode(n, true)));
  };
  adopt(parsed.head, document.head);
  adopt(parsed.body, document.body);
  attachDeclarativeShadowRoots(document);
  return document;
}

/** Resolves after the page's pending mutation callbacks and animation frames have run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    await Promise.resolve();
  }
}
