/**
 * @module
 * The generic adapter, for any ticketing tool: a URL match pattern plus, per field, a CSS selector (read through open
 * shadow roots), a regular expression, or both (the expression then runs on the selected element's text).
 */
import { matchesPattern } from '../match-pattern';
import { compileRegex, deepQuery, extract, readValue } from './dom';
import { defineAdapter } from './define';
import type { PageContext, SiteAdapter } from './types';

/** A user-configured site. Selectors and expressions are optional per field; an empty config reads nothing. */
export interface GenericSiteOptions {
  id: string;
  label: string;
  /** Match pattern of the pages, e.g. `https://helpdesk.acme.example/tickets/*`. */
  pattern: string;
  deviceSelector?: string;
  deviceRegex?: string;
  userSelector?: string;
  userRegex?: string;
  ticketSelector?: string;
  ticketRegex?: string;
  commentSelector?: string;
}

type Reader = (doc: Document) => string | undefined;

function fieldReader(selector: string | undefined, regexSource: string | undefined): Reader {
  const regex = compileRegex(regexSource);
  if (!selector && !regex) return () => undefined;
  return (doc) => {
    if (selector) {
      const el = deepQuery(doc, selector);
      if (!el) return undefined;
      // A regex narrows the element's text; raw text would be capped, so take the full value or text first.
      const raw = (el as HTMLInputElement).value ?? el.textContent ?? '';
      return regex ? extract(raw, regex) : readValue(el);
    }
    // Without a selector the expression runs on the title and the page text, in that order.
    return extract(doc.title, regex) ?? extract(doc.body?.textContent ?? '', regex);
  };
}

/** Builds the reader for a generic site. */
export function createGenericFinder(options: GenericSiteOptions): (doc: Document) => PageContext {
  const device = fieldReader(options.deviceSelector, options.deviceRegex);
  const user = fieldReader(options.userSelector, options.userRegex);
  const ticket = fieldReader(options.ticketSelector, options.ticketRegex);
  return (doc) => {
    const context: PageContext = {};
    const d = device(doc);
    if (d) context.device = d;
    const u = user(doc);
    if (u) context.user = u;
    const t = ticket(doc) ?? extract(doc.URL, compileRegex(options.ticketRegex));
    if (t) context.ticketId = t;
    const box = options.commentSelector ? deepQuery(doc, options.commentSelector) : null;
    if (box) context.commentBox = box;
    return context;
  };
}

/** Generic adapter for one configured site. */
export function genericAdapter(options: GenericSiteOptions): SiteAdapter {
  return defineAdapter({
    id: `generic:${options.id}`,
    label: options.label,
    matches: (url) => matchesPattern(options.pattern, url),
    find: createGenericFinder(options),
  });
}
