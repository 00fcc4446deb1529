/**
 * @module
 * The site adapters, and how a content script picks one from the site configuration the background sends it.
 */
import type { SiteConfig } from '../settings';
import { freshserviceAdapter } from './freshservice';
import { genericAdapter } from './generic';
import { jiraAdapter } from './jira';
import { serviceNowAdapter } from './servicenow';
import { serviceNowWorkspaceAdapter } from './servicenow-workspace';
import type { PageContext, SiteAdapter } from './types';
import { watchPage } from './watch';
import { zendeskAdapter } from './zendesk';

export type { PageContext, SiteAdapter } from './types';
export { factsOf } from './types';

/** The adapters for a configured site, most specific first. */
export function adaptersFor(config: SiteConfig): SiteAdapter[] {
  if (config.kind === 'generic') return [genericAdapter(config.site)];
  const { patterns, deviceFieldLabels, deviceRegex } = config;
  switch (config.id) {
    case 'servicenow':
      return [serviceNowWorkspaceAdapter({ patterns }), serviceNowAdapter({ patterns })];
    case 'jira':
      return [jiraAdapter({ patterns, deviceFieldLabels, ...(deviceRegex ? { deviceRegex } : {}) })];
    case 'zendesk':
      return [zendeskAdapter({ patterns, deviceFieldLabels })];
    case 'freshservice':
      return [freshserviceAdapter({ patterns })];
  }
}

/** The first adapter that understands `url`, or undefined. */
export function pickAdapter(adapters: readonly SiteAdapter[], url: string): SiteAdapter | undefined {
  return adapters.find((a) => a.matches(url));
}

/**
 * Observes a page with whichever adapter matches its current URL (single-page apps change URL without reloading).
 * Reports the adapter (undefined on pages none understands, e.g. a dashboard) with each new reading.
 */
export function observeSite(
  doc: Document,
  adapters: readonly SiteAdapter[],
  onChange: (adapter: SiteAdapter | undefined, context: PageContext) => void,
): () => void {
  let current: SiteAdapter | undefined;
  return watchPage(
    doc,
    () => {
      current = pickAdapter(adapters, doc.URL);
      return current ? current.find(doc) : {};
    },
    (context) => onChange(current, context),
    () => current?.id ?? '',
  );
}
