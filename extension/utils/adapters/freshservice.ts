/**
 * @module
 * Freshservice ticket view (`/a/tickets/ID`, `/helpdesk/tickets/ID`): the associated asset, the requester, the note editor.
 */
import { cleanText, extract, findValueByLabel, readPersonName, readText, readValue } from './dom';
import { firstEditable, firstShown, isShown } from './visibility';
import { defineAdapter, urlMatches } from './define';
import { defaultDeviceLabelsFor } from './labels';
import type { BuiltinAdapterOptions } from './servicenow';
import type { PageContext, SiteAdapter } from './types';

export const freshservicePatterns = ['https://*.freshservice.com/*'];

const ticketPath = /^\/(?:a|helpdesk)\/tickets\/\d+/;

/** Reads a Freshservice ticket page. */
export function findFreshservice(doc: Document): PageContext {
  const context: PageContext = {};
  const assets = firstShown(doc, ['[data-test-id="associated-assets"]', '.associated-assets-widget']);
  const device =
    readValue(assets?.querySelector('a[href*="/cmdb/items/"], a[href*="/assets/"], .asset-name')) ??
    readValue(firstShown(doc, ['a[href*="/cmdb/items/"]'])) ??
    findValueByLabel(doc, defaultDeviceLabelsFor.freshservice, isShown);
  if (device) context.device = device;
  const user = readPersonName(firstShown(doc, ['[data-test-id="requester-name"]', '.requester-name'])) ?? findValueByLabel(doc, ['Requester'], isShown);
  if (user) context.user = user;
  const displayEl = firstShown(doc, ['[data-test-id="ticket-display-id"]', '.ticket-id']);
  const display = displayEl ? cleanText(readText(displayEl))?.replace(/^#/, '') : undefined;
  const ticketId = display ?? extract(doc.URL, /\/tickets\/(\d+)/);
  if (ticketId) context.ticketId = ticketId;
  const commentBox = firstEditable(doc, ['.fr-element[contenteditable="true"]', '.redactor-editor[contenteditable="true"]', 'textarea[name="helpdesk_note[body]"]']);
  if (commentBox) context.commentBox = commentBox;
  return context;
}

/** Freshservice adapter. */
export function freshserviceAdapter(options: BuiltinAdapterOptions = {}): SiteAdapter {
  const patterns = options.patterns?.length ? options.patterns : freshservicePatterns;
  return defineAdapter({ id: 'freshservice', label: 'Freshservice', matches: (url) => urlMatches(url, patterns, ticketPath), find: findFreshservice });
}
