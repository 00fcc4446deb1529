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

/** Every generic field as text; `deviceLabels` is comma-separated. */
export type GenericForm = { [K in keyof GenericSite]-?: string };

export interface SitesForm {
  builtin: Record<BuiltinSiteId, BuiltinForm>;
  generic: GenericForm[];
}

const genericKeys = [
  'id', 'label', 'pattern', 'deviceSelector', 'deviceRegex', 'deviceLabels', 'userSelector', 'userRegex', 'ticketSelector', 'ticketRegex', 'commentSelector',
] as const;
const labelList = (text: string) => text.split(',').map((l) => l.trim()).filter(Boolean);

export function formFromSites(sites: Sites): SitesForm {
  const builtin = {} as SitesForm['builtin'];
  for (const id of builtinSiteIds) {
    const s = sites.builtin[id];
    builtin[id] = { enabled: s.enabled, patterns: s.patterns.join('\n'), labels: s.deviceFieldLabels.join(', '), regex: s.deviceRegex ?? '' };
  }
  const generic = sites.generic.map((g) => genericForm(g));
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
      deviceFieldLabels: labelList(f.labels),
      ...(f.regex.trim() ? { deviceRegex: f.regex.trim() } : {}),
    };
  }
  return { builtin, generic: form.generic.map(genericSiteFromForm) };
}

/** The form fields of one generic site. */
export function genericForm(site: GenericSite): GenericForm {
  return Object.fromEntries(genericKeys.map((k) => [k, k === 'deviceLabels' ? (site.deviceLabels ?? []).join(', ') : (site[k] ?? '')])) as GenericForm;
}

/** The stored shape of one generic site's form, empty fields dropped; validated by `GenericSite`. */
export function genericSiteFromForm(g: GenericForm): Record<string, unknown> {
  return Object.fromEntries(
    genericKeys.filter((k) => (g[k] ?? '').trim() !== '').map((k) => [k, k === 'deviceLabels' ? labelList(g[k]) : g[k].trim()]),
  );
}

/** A blank generic site whose id does not clash with `taken`. */
export function newGenericSite(taken: readonly string[]): GenericForm {
  let n = taken.length + 1;
  while (taken.includes(`site-${n}`)) n++;
  return Object.fromEntries(genericKeys.map((k) => [k, k === 'id' ? `site-${n}` : ''])) as GenericForm;
}
