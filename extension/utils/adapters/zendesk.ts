/**
 * @module
 * Zendesk Support agent workspace (`/agent/tickets/ID`): ticket fields by their label, the requester, the composer.
 */
import { extract, findValueByLabel, firstDeep, readValue } from './dom';
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

/** Builds the Zendesk reader. */
export function createZendeskFinder(options: ZendeskOptions = {}): (doc: Document) => PageContext {
  const labels = options.deviceFieldLabels?.length ? options.deviceFieldLabels : defaultZendeskDeviceLabels;
  return (doc) => {
    const context: PageContext = {};
    // Several tickets can be open as tabs; the visible workspace is the one that is not hidden.
    const workspace = firstDeep(doc, ['[data-test-id="ticket-workspace"]:not([hidden])', '#main_panes']) ?? doc;
    const device = findValueByLabel(workspace, labels);
    if (device) context.device = device;
    const user =
      readValue(firstDeep(workspace, ['[data-test-id="ticket-system-field-requester-select-value"]'])) ??
      findValueByLabel(workspace, ['Requester']);
    if (user) context.user = user;
    const id = extract(doc.URL, /\/agent\/tickets\/(\d+)/) ?? extract(doc.title, /#(\d+)/);
    if (id) context.ticketId = `#${id}`;
    const commentBox = firstDeep(workspace, ['[data-test-id="omnicomposer-rich-text-ckeditor"]', '.ck-editor__editable[contenteditable="true"]', 'textarea[name="comment[value]"]']);
    if (commentBox) context.commentBox = commentBox;
    return context;
  };
}

/** Zendesk adapter. */
export function zendeskAdapter(options: ZendeskOptions = {}): SiteAdapter {
  const patterns = options.patterns?.length ? options.patterns : zendeskPatterns;
  return defineAdapter({ id: 'zendesk', label: 'Zendesk', matches: (url) => urlMatches(url, patterns, ticketPath), find: createZendeskFinder(options) });
}
