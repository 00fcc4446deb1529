/** What a site adapter reads from a ticket page. Every field is optional: pages render late and differ by form. */
export interface PageContext {
  /** Device name as the ticket shows it (configuration item, asset, custom field…). */
  device?: string;
  /** The person the ticket is about (caller, requester, reporter). */
  user?: string;
  /** The ticket's human reference, e.g. INC0010023 or ITSM-42. */
  ticketId?: string;
  /** Where a summary can be inserted (a textarea or a contenteditable editor). */
  commentBox?: Element;
}

/** Reads one ticketing site. `find` is pure (a snapshot of the document); `observe` reports changes. */
export interface SiteAdapter {
  /** Stable id, also used as the launch's `externalSource`. */
  id: string;
  label: string;
  /** Whether this adapter understands the page at `url` (host and path). */
  matches(url: string): boolean;
  find(doc: Document): PageContext;
  /**
   * Calls `onChange` with the first context once the page has been read, and again whenever the device, user or
   * ticket changes (late rendering, SPA navigation, a field edited). Returns a function that stops observing.
   */
  observe(doc: Document, onChange: (context: PageContext) => void): () => void;
}

/** The data part of a context, without DOM references; what is compared and sent to the background. */
export type PageFacts = Omit<PageContext, 'commentBox'>;

/** Strips DOM references so a context can be compared and messaged. */
export function factsOf(context: PageContext): PageFacts {
  const facts: PageFacts = {};
  if (context.device) facts.device = context.device;
  if (context.user) facts.user = context.user;
  if (context.ticketId) facts.ticketId = context.ticketId;
  return facts;
}

/** True when two contexts name the same device, user and ticket. */
export function sameFacts(a: PageFacts, b: PageFacts): boolean {
  return a.device === b.device && a.user === b.user && a.ticketId === b.ticketId;
}
