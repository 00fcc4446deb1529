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
import type { SiteAdapter } from './types';
import { zendeskAdapter } from './zendesk';

export type { PageContext, PageFacts, SiteAdapter } from './types';
export { factsOf, sameFacts } from './types';

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
