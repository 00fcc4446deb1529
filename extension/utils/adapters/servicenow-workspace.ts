/**
 * @module
 * ServiceNow Service Operations Workspace (and other Next Experience workspaces). Record pages are nested web
 * components with open shadow roots; fields are elements named after their column (`name="cmdb_ci"`), whose input
 * sits inside their own shadow tree.
 */
import { defineAdapter, urlMatches } from './define';
import { cleanText, deepElements, readPersonName, readValue } from './dom';
import { activeContainer, deepQueryAll, firstEditable, firstShown, isEditable, isShown } from './visibility';
import type { BuiltinAdapterOptions } from './servicenow';
import { serviceNowPatterns } from './servicenow';
import type { PageContext, SiteAdapter } from './types';

/** Workspace routes: `/now/sow/record/…`, `/now/workspace/agent/record/…`, `/now/cwf/agent/record/…`. */
const workspacePath = /^\/now\/(?:sow|workspace|cwf|[a-z0-9-]+-workspace)\//i;

/** Reads the value of the field component named `column` (`<now-record-typeahead name="cmdb_ci">`). */
function fieldValue(scope: ParentNode, column: string, read = readValue): string | undefined {
  for (const el of deepElements(scope)) {
    if (!el.tagName.includes('-') || el.getAttribute('name') !== column) continue;
    const value = read(el) ?? cleanText(el.getAttribute('display-value') ?? el.getAttribute('value'));
    if (value) return value;
  }
  return undefined;
}

/**
 * The record the agent is looking at. The workspace keeps one `sn-canvas-screen` per opened tab and hides the
 * others with `display:none`; inside a screen, sub-tabs can mount more record pages. `null`: no single one is shown.
 */
function activeRecord(doc: Document): ParentNode | null {
  const screen = activeContainer(doc, 'sn-canvas-screen');
  if (screen === null) return null;
  const within = screen ?? doc;
  const page = activeContainer(within, 'sn-record-page, now-record-form-connected');
  if (page === null) return null;
  return page ?? screen ?? doc;
}

/** Reads a workspace record page: every value from the one record screen that is shown. */
export function findServiceNowWorkspace(doc: Document): PageContext {
  const scope = activeRecord(doc);
  if (!scope) return {};
  const context: PageContext = {};
  const device = fieldValue(scope, 'cmdb_ci');
  if (device) context.device = device;
  const user = fieldValue(scope, 'caller_id', readPersonName) ?? fieldValue(scope, 'requested_for', readPersonName);
  if (user) context.user = user;
  // The number field, else the record's own heading; never the document title, which may lag a tab switch.
  const ticketId = fieldValue(scope, 'number') ?? cleanText(/\b([A-Z]{2,8}\d{5,})\b/.exec(readValue(firstShown(scope, ['now-heading', 'h1'])) ?? '')?.[1]);
  if (ticketId) context.ticketId = ticketId;
  const editors = deepQueryAll(scope, 'now-textarea[name="work_notes"], now-textarea[name="comments"]');
  const inner = editors.filter(isShown).flatMap((host) => (host.shadowRoot ? deepQueryAll(host.shadowRoot, 'textarea') : []));
  const commentBox = inner.find(isEditable) ?? firstEditable(scope, ['textarea[aria-label="Work notes"]', 'textarea[aria-label="Additional comments"]']);
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
