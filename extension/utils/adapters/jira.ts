/**
 * @module
 * Jira Service Management: the agent's issue view (`/browse/KEY`, queues with `selectedIssue`) and the customer portal's
 * request view. The device comes from a custom field found by its label, else from a device-name pattern in the summary.
 */
import { compileRegex, extract, findValueByLabel, readPersonName, readValue } from './dom';
import { firstEditable, firstShown, isShown } from './visibility';
import { defineAdapter, urlMatches } from './define';
import { defaultDeviceLabelsFor } from './labels';
import type { BuiltinAdapterOptions } from './servicenow';
import type { PageContext, SiteAdapter } from './types';

export const jiraPatterns = ['https://*.atlassian.net/*'];
export const defaultDeviceLabels = defaultDeviceLabelsFor.jira;
/** Common corporate host names: LT-ABEL-0042, PC-FIN-0107, DESKTOP-8F2K1QZ, MAC-00A1. */
export const defaultDeviceRegex = String.raw`(?<![\w-])((?:DESKTOP|LAPTOP|LT|PC|WS|NB|MAC|MBP)-[A-Z0-9][A-Z0-9-]{2,})\b`;

/** Pages that show one issue: `/browse/KEY`, portal requests, and Jira app routes ending in a key or with `selectedIssue`. */
const issuePath =
  /^\/(?:browse\/[A-Z][A-Z0-9_]+-\d+|servicedesk\/customer\/portal\/\d+\/[A-Z][A-Z0-9_]+-\d+|jira\/.*(?:\/[A-Z][A-Z0-9_]+-\d+(?:$|[/?#])|[?&]selectedIssue=[A-Z][A-Z0-9_]+-\d+))/;
const issueKey = /\b([A-Z][A-Z0-9_]+-\d+)\b/;

export interface JiraOptions extends BuiltinAdapterOptions {
  /** Labels of the custom field that names the device, tried in order. */
  deviceFieldLabels?: readonly string[];
  /** Pattern for a device name in the summary, used when no device field has a value. */
  deviceRegex?: string;
}

function keyFromUrl(href: string): string | undefined {
  try {
    const u = new URL(href);
    const selected = u.searchParams.get('selectedIssue');
    if (selected && issueKey.test(selected)) return selected;
    const last = u.pathname.split('/').filter(Boolean).pop();
    return last && issueKey.test(last) ? issueKey.exec(last)![1] : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the Jira reader for the given options. */
export function createJiraFinder(options: JiraOptions = {}): (doc: Document) => PageContext {
  const labels = options.deviceFieldLabels?.length ? options.deviceFieldLabels : defaultDeviceLabels;
  const regex = compileRegex(options.deviceRegex || defaultDeviceRegex);
  return (doc) => {
    const context: PageContext = {};
    const summary = readValue(
      firstShown(doc, ['[data-testid="issue.views.issue-base.foundation.summary.heading"]', '[data-testid="request-details.summary"]', 'h1']),
    );
    const device = findValueByLabel(doc, labels, isShown) ?? extract(summary, regex);
    if (device) context.device = device;
    const user =
      readPersonName(firstShown(doc, ['[data-testid="issue.views.field.user.reporter.name.button"]', '[data-testid="issue.views.field.user.reporter"] [role="button"]'])) ??
      findValueByLabel(doc, ['Reporter', 'Raised by'], isShown);
    if (user) context.user = user;
    const ticketId =
      keyFromUrl(doc.URL) ??
      readValue(firstShown(doc, ['[data-testid="issue.views.issue-base.foundation.breadcrumbs.current-issue.item"]'])) ??
      extract(doc.title, issueKey);
    if (ticketId) context.ticketId = ticketId;
    const commentBox = firstEditable(doc, ['.ProseMirror[contenteditable="true"]', 'textarea#comment', '[contenteditable="true"][role="textbox"]']);
    if (commentBox) context.commentBox = commentBox;
    return context;
  };
}

/** Jira Service Management adapter. */
export function jiraAdapter(options: JiraOptions = {}): SiteAdapter {
  const patterns = options.patterns?.length ? options.patterns : jiraPatterns;
  return defineAdapter({
    id: 'jira',
    label: 'Jira Service Management',
    matches: (url) => urlMatches(url, patterns, issuePath),
    find: createJiraFinder(options),
  });
}
