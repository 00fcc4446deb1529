/** @module Test helpers: mount an element, reach into shadow roots, press keys and click like a user would. */
import { CampaignDefinition, renderCampaign, type RenderedQuestion } from '@fixpoint/protocol';
import { sampleCampaign } from '@fixpoint/protocol/testing';
import type { LitElement } from 'lit';
import '../define';

/** Appends `tag` with `props` to the document and waits for its first render. */
export async function mount<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}): Promise<HTMLElementTagNameMap[K]> {
  const el = document.createElement(tag);
  Object.assign(el, props);
  document.body.append(el);
  await (el as unknown as LitElement).updateComplete;
  return el;
}

/** Waits for an element and everything rendered inside it to settle. */
export async function settle(el: Element): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await (el as LitElement).updateComplete;
    for (const child of el.shadowRoot?.querySelectorAll('*') ?? []) if ('updateComplete' in child) await (child as LitElement).updateComplete;
  }
}

export function $(el: Element, selector: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`no ${selector} in ${el.tagName}`);
  return found;
}

export function $$(el: Element, selector: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
}

/** Dispatches a keydown on the element (from the keyboard's point of view, the focused one). */
export function press(target: HTMLElement, key: string): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));
}

/** The focused element inside `el`'s shadow root. */
export function focused(el: Element): Element | null {
  return el.shadowRoot!.activeElement;
}

/** The sample campaign, parsed, and its questions rendered in English for a user. */
export const campaign = CampaignDefinition.parse(sampleCampaign());
export function rendered(id: string, overrides: Partial<RenderedQuestion> = {}): RenderedQuestion {
  const q = renderCampaign(campaign, { user: 'Ana', parameters: { deadline: 'Friday' } }).questions.find((x) => x.id === id)!;
  return { ...q, ...overrides };
}

/** Collects the events of one type an element emits. */
export function record<T>(el: Element, type: string): T[] {
  const seen: T[] = [];
  el.addEventListener(type, (e) => seen.push((e as CustomEvent<T>).detail));
  return seen;
}
