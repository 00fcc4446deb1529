/**
 * @module
 * ServiceNow classic forms (incident.do and other task forms, also inside the Next Experience shell, where the form
 * lives in the same-origin `gsft_main` frame). Reads the configuration item, the caller, the number and the work notes box.
 */
import type { AdapterSpec } from './define';
import { defineAdapter, urlMatches } from './define';
import { cleanText, deepQuery, readPersonName, readValue } from './dom';
import { isEditable } from './visibility';
import type { PageContext, SiteAdapter } from './types';

export const serviceNowPatterns = ['https://*.service-now.com/*'];

/** Classic form URLs: `/incident.do?…`, `/nav_to.do?uri=…`, and the Next Experience wrapper around a classic form. */
const classicPath = /^\/(?:[a-z0-9_]+\.do(?:[?#]|$)|nav_to\.do|now\/nav\/ui\/classic\/)/i;

/** Caller-like reference fields, in the order task tables use them. */
const userFields = ['caller_id', 'requested_for', 'opened_by'];

function formDocument(doc: Document): Document {
  if (doc.querySelector('input#sys_target, input[name="sys_target"]')) return doc;
  const frame = deepQuery(doc, 'iframe#gsft_main, iframe[name="gsft_main"]') as HTMLIFrameElement | null;
  try {
    return frame?.contentDocument ?? doc;
  } catch {
    return doc;
  }
}

function tableOf(form: Document): string | undefined {
  const target = form.querySelector<HTMLInputElement>('input#sys_target, input[name="sys_target"]')?.value;
  if (target && /^[a-z0-9_]+$/i.test(target)) return target;
  const formId = form.querySelector('form[id$=".do"]')?.id;
  return formId ? formId.slice(0, -3) : undefined;
}

/** The display value of a reference field (`sys_display.<table>.<field>`), else its read-only rendering. */
function referenceDisplay(form: Document, table: string, field: string, read = readValue): string | undefined {
  const display = form.getElementById(`sys_display.${table}.${field}`);
  return read(display) ?? read(form.getElementById(`sys_readonly.${table}.${field}`));
}

/** Reads a classic ServiceNow form. */
export function findServiceNowClassic(doc: Document): PageContext {
  const form = formDocument(doc);
  const table = tableOf(form);
  if (!table) return {};
  const context: PageContext = {};
  const device = referenceDisplay(form, table, 'cmdb_ci');
  if (device) context.device = device;
  for (const field of userFields) {
    const user = referenceDisplay(form, table, field, readPersonName);
    if (user) {
      context.user = user;
      break;
    }
  }
  const number = readValue(form.getElementById(`${table}.number`)) ?? readValue(form.getElementById(`sys_readonly.${table}.number`));
  const ticketId = number ?? cleanText(/\b([A-Z]{2,8}\d{5,})\b/.exec(form.title)?.[1]);
  if (ticketId) context.ticketId = ticketId;
  // The stream shows one journal box at a time (work notes or comments, switched by a checkbox) and keeps the
  // field's own textarea hidden: only a box the agent sees can take the summary.
  const commentBox = [
    'activity-stream-work_notes-textarea', `${table}.work_notes`, 'activity-stream-comments-textarea', `${table}.comments`, 'activity-stream-textarea',
  ].map((id) => form.getElementById(id)).find(isEditable);
  if (commentBox) context.commentBox = commentBox;
  return context;
}

/** Options every built-in adapter accepts: extra match patterns for self-hosted or custom domains. */
export interface BuiltinAdapterOptions {
  patterns?: readonly string[];
}

/** ServiceNow classic form adapter. */
export function serviceNowAdapter(options: BuiltinAdapterOptions = {}): SiteAdapter {
  const patterns = options.patterns?.length ? options.patterns : serviceNowPatterns;
  const spec: AdapterSpec = {
    id: 'servicenow',
    label: 'ServiceNow',
    matches: (url) => urlMatches(url, patterns, classicPath),
    find: findServiceNowClassic,
  };
  return defineAdapter(spec);
}
