/**
 * @module
 * The options page's live preview of a generic site: the tab to read, and the reading itself, which runs in that
 * tab (through `scripting.executeScript`) with the same generic adapter the launcher uses.
 */
import type { Browser } from 'wxt/browser';
import { createGenericFinder, type GenericSiteOptions } from '../adapters/generic';
import { factsOf, type PageFacts } from '../adapters/types';
import type { GenericSite } from '../settings';

/** What the generic adapter read on an open tab. */
export interface SitePreview {
  url: string;
  facts: PageFacts;
}

/** Where the injected site-preview script leaves its reader, in the extension's isolated world of the tab. */
export const previewGlobal = '__fixpointReadSitePreview';

/** Reads the current document with a generic site's settings (runs in the tab). */
export function readSitePreview(site: GenericSiteOptions): PageFacts {
  return factsOf(createGenericFinder(site)(document));
}

type Tab = Pick<Browser.tabs.Tab, 'id' | 'url' | 'active' | 'lastAccessed'>;

/** The tab to preview among those matching the pattern: an active one, else the one used last. */
export function pickPreviewTab<T extends Tab>(tabs: readonly T[]): T | undefined {
  const usable = tabs.filter((t) => t.id !== undefined && t.id >= 0);
  return usable.find((t) => t.active) ?? [...usable].sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
}

interface PreviewApis {
  tabs: { query(q: { url: string }): Promise<Tab[]> };
  scripting: {
    executeScript(options: { target: { tabId: number }; files?: string[]; func?: (...args: never[]) => unknown; args?: unknown[] }): Promise<{ result?: unknown }[]>;
  };
}

/** Reads `site` on the open tab its pattern covers; null when no tab matches. */
export async function previewSiteInTab(browser: PreviewApis, site: GenericSite): Promise<SitePreview | null> {
  const tab = pickPreviewTab(await browser.tabs.query({ url: site.pattern }));
  if (!tab?.id) return null;
  const target = { tabId: tab.id };
  await browser.scripting.executeScript({ target, files: ['/site-preview.js'] });
  const [frame] = await browser.scripting.executeScript({
    target,
    func: ((name: string, options: GenericSiteOptions) => (globalThis as unknown as Record<string, (o: GenericSiteOptions) => PageFacts>)[name]!(options)) as (...args: never[]) => unknown,
    args: [previewGlobal, site],
  });
  return { url: tab.url ?? '', facts: (frame?.result ?? {}) as PageFacts };
}
