import type { PageContext, SiteAdapter } from './types';
import { watchPage } from './watch';
import { matchesPattern } from '../match-pattern';

/** What a site module provides; `defineAdapter` adds observation. */
export interface AdapterSpec {
  id: string;
  label: string;
  matches(url: string): boolean;
  find(doc: Document): PageContext;
}

/** Builds a SiteAdapter whose `observe` re-reads the page through `watchPage`. */
export function defineAdapter(spec: AdapterSpec): SiteAdapter {
  return {
    ...spec,
    find: (doc) => {
      try {
        return spec.find(doc);
      } catch {
        return {}; // Never let an unexpected page break the host page or the panel.
      }
    },
    observe: (doc, onChange) => watchPage(doc, () => spec.find(doc), onChange),
  };
}

/** Whether `url` is on one of `patterns` and its path passes `path` (when given). */
export function urlMatches(url: string, patterns: readonly string[], path?: RegExp): boolean {
  if (!patterns.some((p) => matchesPattern(p, url))) return false;
  if (!path) return true;
  try {
    const u = new URL(url);
    return path.test(u.pathname + u.search + u.hash);
  } catch {
    return false;
  }
}
