/**
 * @module
 * The site settings as the options form edits them (plain text fields) and the conversions to and from the stored
 * shape. Validation stays with the `Sites` schema; this only splits lists and drops empty fields.
 */
import { builtinSiteIds, type BuiltinSiteId, type GenericSite, type Sites } from '../utils/settings';

export interface BuiltinForm {
  enabled: boolean;
  /** One match pattern per line. */
  patterns: string;
  /** Comma-separated field labels. */
  labels: string;
  regex: string;
}

export type GenericForm = { [K in keyof GenericSite]-?: string };

export interface SitesForm {
  builtin: Record<BuiltinSiteId, BuiltinForm>;
  generic: GenericForm[];
}

const genericKeys = ['id', 'label', 'pattern', 'deviceSelector', 'deviceRegex', 'userSelector', 'userRegex', 'ticketSelector', 'ticketRegex', 'commentSelector'] as const;

export function formFromSites(sites: Sites): SitesForm {
  const builtin = {} as SitesForm['builtin'];
  for (const id of builtinSiteIds) {
    const s = sites.builtin[id];
    builtin[id] = { enabled: s.enabled, patterns: s.patterns.join('\n'), labels: s.deviceFieldLabels.join(', '), regex: s.deviceRegex ?? '' };
  }
  const generic = sites.generic.map((g) => Object.fromEntries(genericKeys.map((k) => [k, g[k] ?? ''])) as GenericForm);
  return { builtin, generic };
}

const lines = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/** The stored shape for `form`, to be validated with `Sites`. */
export function sitesFromForm(form: SitesForm): unknown {
  const builtin: Record<string, unknown> = {};
  for (const id of builtinSiteIds) {
    const f = form.builtin[id];
    builtin[id] = {
      enabled: f.enabled,
      patterns: lines(f.patterns),
      deviceFieldLabels: f.labels.split(',').map((l) => l.trim()).filter(Boolean),
      ...(f.regex.trim() ? { deviceRegex: f.regex.trim() } : {}),
    };
  }
  const generic = form.generic.map((g) => Object.fromEntries(genericKeys.filter((k) => g[k].trim() !== '').map((k) => [k, g[k].trim()])));
  return { builtin, generic };
}

/** A blank generic site whose id does not clash with `taken`. */
export function newGenericSite(taken: readonly string[]): GenericForm {
  let n = taken.length + 1;
  while (taken.includes(`site-${n}`)) n++;
  return Object.fromEntries(genericKeys.map((k) => [k, k === 'id' ? `site-${n}` : ''])) as GenericForm;
}
