/**
 * @module
 * The generic adapter, for any ticketing tool: a URL match pattern plus, per field, a CSS selector (read through open
 * shadow roots), a regular expression, or both (the expression then runs on the selected element's text). An
 * expression alone runs on the page's visible text, with element boundaries as white space (see text.ts). A device or
 * user field with neither is found by its label (labels.ts). Every value comes from shown elements only (visibility.ts).
 */
import { matchesPattern } from '../match-pattern';
import { compileRegex, extract, findValueByLabel, readText, readValue } from './dom';
import { firstEditable, firstShown, isShown } from './visibility';
import { readPageText } from './text';
import { defaultDeviceLabelsFor, defaultUserLabels } from './labels';
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
  /** Labels of the field that names the device, used when neither a selector nor an expression is set. */
  deviceLabels?: readonly string[];
  userSelector?: string;
  userRegex?: string;
  ticketSelector?: string;
  ticketRegex?: string;
  commentSelector?: string;
}

/** Reads one field; `pageText` is the page's visible text, read at most once per reading of the page. */
type Reader = (doc: Document, pageText: () => string) => string | undefined;

function fieldReader(selector: string | undefined, regexSource: string | undefined, labels: readonly string[]): Reader {
  const regex = compileRegex(regexSource);
  if (!selector && !regex) return labels.length ? (doc) => findValueByLabel(doc, labels, isShown) : () => undefined;
  return (doc, pageText) => {
    if (selector) {
      // Only a shown element counts: pages keep other tickets mounted in hidden tabs.
      const el = firstShown(doc, [selector]);
      if (!el) return undefined;
      // A regex narrows the element's text; raw text would be capped, so take the full value or text first.
      const raw = (el as HTMLInputElement).value ?? readText(el);
      return regex ? extract(raw, regex) : readValue(el);
    }
    // Without a selector the expression runs on the title, then on the page text as a person sees it.
    return extract(doc.title, regex) ?? extract(pageText(), regex);
  };
}

/** Builds the reader for a generic site. */
export function createGenericFinder(options: GenericSiteOptions): (doc: Document) => PageContext {
  const device = fieldReader(options.deviceSelector, options.deviceRegex, options.deviceLabels?.length ? options.deviceLabels : defaultDeviceLabelsFor.generic);
  const user = fieldReader(options.userSelector, options.userRegex, defaultUserLabels);
  const ticket = fieldReader(options.ticketSelector, options.ticketRegex, []);
  return (doc) => {
    let text: string | undefined;
    const pageText = () => (text ??= doc.body ? readPageText(doc.body) : '');
    const context: PageContext = {};
    const d = device(doc, pageText);
    if (d) context.device = d;
    const u = user(doc, pageText);
    if (u) context.user = u;
    const t = ticket(doc, pageText) ?? extract(doc.URL, compileRegex(options.ticketRegex));
    if (t) context.ticketId = t;
    const box = options.commentSelector ? firstEditable(doc, [options.commentSelector]) : undefined;
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
