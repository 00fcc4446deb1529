import { describe, expect, it } from 'vitest';
import { Sites, defaultSettings } from '../utils/settings';
import { formFromSites, newGenericSite, sitesFromForm } from './sites-form';

describe('sites form', () => {
  it('round-trips the stored sites', () => {
    const sites = defaultSettings().sites;
    sites.builtin.jira = { enabled: true, patterns: ['https://*.atlassian.net/*', 'https://jira.acme.example/*'], deviceFieldLabels: ['Affected device', 'Poste'], deviceRegex: String.raw`\bPC-\d+\b` };
    sites.generic.push({ id: 'acme', label: 'Acme desk', pattern: 'https://hd.acme.example/tickets/*', deviceSelector: '.machine' });
    sites.generic.push({ id: 'beta', label: 'Beta', pattern: 'https://beta.example/*', deviceLabels: ['Poste', 'Device hostname'], userRegex: String.raw`Caller:\s+(\w+)` });
    const form = formFromSites(sites);
    expect(form.generic[1]).toMatchObject({ deviceLabels: 'Poste, Device hostname', userRegex: String.raw`Caller:\s+(\w+)` });
    expect(form.builtin.jira.patterns).toBe('https://*.atlassian.net/*\nhttps://jira.acme.example/*');
    expect(Sites.parse(sitesFromForm(form))).toEqual(sites);
  });

  it('lets the schema refuse bad patterns, selectors that are too long and broken expressions', () => {
    const form = formFromSites(defaultSettings().sites);
    form.builtin.zendesk.patterns = 'not a pattern';
    form.generic.push({ ...newGenericSite([]), label: 'X', pattern: '<all_urls>', deviceRegex: '(' });
    const result = Sites.safeParse(sitesFromForm(form));
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['builtin.zendesk.patterns.0', 'generic.0.pattern', 'generic.0.deviceRegex']));
  });

  it('refuses a pattern that would cover every site', () => {
    const form = formFromSites(defaultSettings().sites);
    form.generic.push({ ...newGenericSite([]), label: 'All', pattern: 'https://*/*' });
    expect(Sites.safeParse(sitesFromForm(form)).success).toBe(false);
  });

  it('numbers new generic sites without clashes', () => {
    expect(newGenericSite(['site-2']).id).toBe('site-3');
    expect(newGenericSite(['site-1', 'site-2']).id).toBe('site-3');
  });
});
