/**
 * @module
 * ServiceNow Service Operations Workspace (and other Next Experience workspaces). Record pages are nested web
 * components with open shadow roots; fields are elements named after their column (`name="cmdb_ci"`), whose input
 * sits inside their own shadow tree.
 */
import { defineAdapter, urlMatches } from './define';
import { cleanText, deepElements, deepQuery, readValue } from './dom';
import type { BuiltinAdapterOptions } from './servicenow';
import { serviceNowPatterns } from './servicenow';
import type { PageContext, SiteAdapter } from './types';

/** Workspace routes: `/now/sow/record/…`, `/now/workspace/agent/record/…`, `/now/cwf/agent/record/…`. */
const workspacePath = /^\/now\/(?:sow|workspace|cwf|[a-z0-9-]+-workspace)\//i;

/** Reads the value of the field component named `column` (`<now-record-typeahead name="cmdb_ci">`). */
function fieldValue(doc: Document, column: string): string | undefined {
  for (const el of deepElements(doc)) {
    if (!el.tagName.includes('-') || el.getAttribute('name') !== column) continue;
    const value = readValue(el) ?? cleanText(el.getAttribute('display-value') ?? el.getAttribute('value'));
    if (value) return value;
  }
  return undefined;
}

/** Reads a workspace record page. */
export function findServiceNowWorkspace(doc: Document): PageContext {
  const context: PageContext = {};
  const device = fieldValue(doc, 'cmdb_ci');
  if (device) context.device = device;
  const user = fieldValue(doc, 'caller_id') ?? fieldValue(doc, 'requested_for');
  if (user) context.user = user;
  const ticketId = fieldValue(doc, 'number') ?? cleanText(/\b([A-Z]{2,8}\d{5,})\b/.exec(doc.title)?.[1]);
  if (ticketId) context.ticketId = ticketId;
  const notes = deepQuery(doc, 'now-textarea[name="work_notes"]') ?? deepQuery(doc, 'now-textarea[name="comments"]');
  const commentBox = notes?.shadowRoot ? deepQuery(notes.shadowRoot, 'textarea') : deepQuery(doc, 'textarea[aria-label="Work notes"]');
  if (commentBox) context.commentBox = commentBox;
  return context;
}

/** ServiceNow workspace adapter. */
export function serviceNowWorkspaceAdapter(options: BuiltinAdapterOptions = {}): SiteAdapter {
  const patterns = options.patterns?.length ? options.patterns : serviceNowPatterns;
  return defineAdapter({
    id: 'servicenow-workspace',
    label: 'ServiceNow Workspace',
    matches: (url) => urlMatches(url, patterns, workspacePath),
    find: findServiceNowWorkspace,
  });
}
