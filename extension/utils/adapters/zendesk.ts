/**
 * @module
 * Zendesk Support agent workspace (`/agent/tickets/ID`): ticket fields by their label, the requester, the composer.
 */
import { extract, findValueByLabel, readPersonName, readValue } from './dom';
import { activeContainer, firstEditable, firstShown, isShown } from './visibility';
import { defineAdapter, urlMatches } from './define';
import { defaultDeviceLabelsFor } from './labels';
import type { BuiltinAdapterOptions } from './servicenow';
import type { PageContext, SiteAdapter } from './types';

export const zendeskPatterns = ['https://*.zendesk.com/*'];
export const defaultZendeskDeviceLabels = defaultDeviceLabelsFor.zendesk;

const ticketPath = /^\/agent\/tickets\/\d+/;

export interface ZendeskOptions extends BuiltinAdapterOptions {
  /** Labels of the ticket field that names the device, tried in order. */
  deviceFieldLabels?: readonly string[];
}

/** One `div.workspace` per open tab; background ones are kept mounted with `display:none`. */
const workspaceSelector = 'div.workspace, [data-test-id="ticket-workspace"]';
/** The tab strip above the workspaces names each open ticket; the selected tab is the one shown. */
const selectedTabSelectors = ['[data-test-id="header-tab"][aria-selected="true"]', '[role="tab"][aria-selected="true"][data-test-id*="tab"]'];

/** Builds the Zendesk reader. */
export function createZendeskFinder(options: ZendeskOptions = {}): (doc: Document) => PageContext {
  const labels = options.deviceFieldLabels?.length ? options.deviceFieldLabels : defaultZendeskDeviceLabels;
  return (doc) => {
    const workspace = activeContainer(doc, workspaceSelector);
    if (workspace === null) return {}; // Mid-switch or an unknown layout: better nothing than another ticket's device.
    const scope = workspace ?? doc;
    const id = extract(doc.URL, /\/agent\/tickets\/(\d+)/);
    // The URL names the active ticket; the selected tab must agree, or the page is between two tickets.
    const tabId = extract(readValue(firstShown(doc, selectedTabSelectors)), /#(\d+)/);
    if (id && tabId && id !== tabId) return {};
    const context: PageContext = {};
    if (id) context.ticketId = `#${id}`;
    const device = findValueByLabel(scope, labels, isShown);
    if (device) context.device = device;
    const user =
      readPersonName(firstShown(scope, ['[data-test-id="ticket-system-field-requester-select"]', '[data-test-id="ticket-system-field-requester-select-value"]'])) ??
      findValueByLabel(scope, ['Requester'], isShown);
    if (user) context.user = user;
    const commentBox = firstEditable(scope, ['[data-test-id="omnicomposer-rich-text-ckeditor"]', '.ck-editor__editable[contenteditable="true"]', 'textarea[name="comment[value]"]']);
    if (commentBox) context.commentBox = commentBox;
    return context;
  };
}

/** Zendesk adapter. */
export function zendeskAdapter(options: ZendeskOptions = {}): SiteAdapter {
  const patterns = options.patterns?.length ? options.patterns : zendeskPatterns;
  return defineAdapter({ id: 'zendesk', label: 'Zendesk', matches: (url) => urlMatches(url, patterns, ticketPath), find: createZendeskFinder(options) });
}
