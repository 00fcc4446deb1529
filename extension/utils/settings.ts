/**
 * @module
 * What the extension keeps in `browser.storage.local`, as zod schemas: the backend URL, the sign-in, the configured
 * sites and the recent launches. Every read is validated, so a damaged or tampered store falls back to defaults.
 */
import { z } from 'zod';
import { compileRegex } from './adapters/dom';
import { matchesPattern, parseMatchPattern } from './match-pattern';

export const builtinSiteIds = ['servicenow', 'jira', 'zendesk', 'freshservice'] as const;
export type BuiltinSiteId = (typeof builtinSiteIds)[number];

export const builtinSiteLabels: Record<BuiltinSiteId, string> = {
  servicenow: 'ServiceNow (classic forms and workspaces)',
  jira: 'Jira Service Management',
  zendesk: 'Zendesk',
  freshservice: 'Freshservice',
};

/** Where each built-in site usually lives; self-hosted or custom domains are added as extra patterns. */
export const defaultSitePatterns: Record<BuiltinSiteId, string[]> = {
  servicenow: ['https://*.service-now.com/*'],
  jira: ['https://*.atlassian.net/*'],
  zendesk: ['https://*.zendesk.com/*'],
  freshservice: ['https://*.freshservice.com/*'],
};

export const SitePattern = z
  .string()
  .trim()
  .max(300)
  .refine((p) => parseMatchPattern(p) !== null && !p.startsWith('*://*/') && parseMatchPattern(p)!.host !== '*', {
    message: 'use a match pattern for one site, e.g. https://*.example.com/*',
  });
const RegexSource = z.string().max(500).refine((s) => compileRegex(s) !== undefined, { message: 'not a valid regular expression' });
const Selector = z.string().trim().max(500);
const FieldLabels = z.array(z.string().trim().min(1).max(100)).max(30);

export const BuiltinSite = z.strictObject({
  enabled: z.boolean(),
  patterns: z.array(SitePattern).min(1).max(20),
  /** Labels of the field that names the device (Jira, Zendesk); empty means the defaults of adapters/labels.ts. */
  deviceFieldLabels: FieldLabels.default([]),
  /** Device-name pattern for summaries (Jira). */
  deviceRegex: RegexSource.optional(),
});
export type BuiltinSite = z.infer<typeof BuiltinSite>;

export const GenericSite = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes'),
  label: z.string().trim().min(1).max(100),
  pattern: SitePattern,
  deviceSelector: Selector.optional(),
  deviceRegex: RegexSource.optional(),
  /** Labels of the device field, used when neither selector nor expression is set; unset means the defaults. */
  deviceLabels: FieldLabels.optional(),
  userSelector: Selector.optional(),
  userRegex: RegexSource.optional(),
  ticketSelector: Selector.optional(),
  ticketRegex: RegexSource.optional(),
  commentSelector: Selector.optional(),
});
export type GenericSite = z.infer<typeof GenericSite>;

export const Sites = z.strictObject({
  builtin: z.strictObject({ servicenow: BuiltinSite, jira: BuiltinSite, zendesk: BuiltinSite, freshservice: BuiltinSite }),
  generic: z.array(GenericSite).max(50),
});
export type Sites = z.infer<typeof Sites>;

/** A backend base URL: http(s), no credentials, no query. Stored without a trailing slash. */
export const BackendUrl = z
  .url({ protocol: /^https?$/ })
  .max(300)
  .refine((u) => {
    const url = new URL(u);
    return !url.username && !url.password && !url.search && !url.hash;
  }, 'use the plain address of the Fixpoint server, e.g. https://fixpoint.example.com')
  .transform((u) => u.replace(/\/+$/, ''));

export const Settings = z.strictObject({ backendUrl: BackendUrl.nullable(), sites: Sites });
export type Settings = z.infer<typeof Settings>;

export const Auth = z.strictObject({
  token: z.string().min(8).max(500),
  expiresAt: z.string().max(40).nullable(),
  name: z.string().max(200).nullable(),
  email: z.string().max(254).nullable(),
});
export type Auth = z.infer<typeof Auth>;

/** A launch made from a ticket page, kept for the popup. */
export const RecentLaunch = z.strictObject({
  requestId: z.string().max(64),
  executionId: z.string().max(64),
  action: z.string().max(200),
  actionName: z.string().max(200),
  deviceName: z.string().max(255),
  site: z.string().max(100),
  ticketId: z.string().max(500).nullable(),
  status: z.string().max(20),
  at: z.string().max(40),
});
export type RecentLaunch = z.infer<typeof RecentLaunch>;
export const maxRecentLaunches = 20;

/** Nothing enabled: a site is switched on, and its host permission granted, from the options page. */
export function defaultSettings(): Settings {
  const site = (id: BuiltinSiteId): BuiltinSite => ({ enabled: false, patterns: [...defaultSitePatterns[id]], deviceFieldLabels: [] });
  return {
    backendUrl: null,
    sites: { builtin: { servicenow: site('servicenow'), jira: site('jira'), zendesk: site('zendesk'), freshservice: site('freshservice') }, generic: [] },
  };
}

/** What a content script needs to read its page: the adapter and its options, never a secret. */
export type SiteConfig =
  | { kind: 'builtin'; id: BuiltinSiteId; patterns: string[]; deviceFieldLabels: string[]; deviceRegex?: string }
  | { kind: 'generic'; site: GenericSite };

/** The configured site that covers `url`, if any: enabled built-ins first, then generic sites. */
export function siteConfigForUrl(settings: Settings, url: string): SiteConfig | null {
  for (const id of builtinSiteIds) {
    const site = settings.sites.builtin[id];
    if (site.enabled && site.patterns.some((p) => matchesPattern(p, url))) {
      return { kind: 'builtin', id, patterns: site.patterns, deviceFieldLabels: site.deviceFieldLabels, ...(site.deviceRegex ? { deviceRegex: site.deviceRegex } : {}) };
    }
  }
  const generic = settings.sites.generic.find((s) => matchesPattern(s.pattern, url));
  return generic ? { kind: 'generic', site: generic } : null;
}

/** Every page pattern the configured (enabled) sites cover. */
export function configuredPatterns(settings: Settings): string[] {
  const patterns = new Set<string>();
  for (const id of builtinSiteIds) {
    const site = settings.sites.builtin[id];
    if (site.enabled) site.patterns.forEach((p) => patterns.add(p));
  }
  settings.sites.generic.forEach((s) => patterns.add(s.pattern));
  return [...patterns];
}
