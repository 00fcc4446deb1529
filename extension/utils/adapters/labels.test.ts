// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { showPage } from './__fixtures__/load';
import { findValueByLabel } from './dom';
import { createJiraFinder } from './jira';
import { defaultDeviceLabels, defaultDeviceLabelsFor } from './labels';
import { createZendeskFinder } from './zendesk';

const labels = ['Device', 'Device name', 'Device hostname', 'Hostname', 'Computer', 'Computer name', 'Machine', 'Asset', 'Asset tag', 'Configuration item', 'CI', 'Affected device'];

describe('default device labels', () => {
  it('cover the common names of a device field, for every tool that reads fields by label', () => {
    expect([...defaultDeviceLabels]).toEqual(labels);
    for (const tool of ['jira', 'zendesk', 'freshservice', 'generic'] as const) expect(defaultDeviceLabelsFor[tool]).toEqual(expect.arrayContaining(labels));
  });

  it('match case-insensitively, with or without a trailing colon or required-star', () => {
    for (const label of labels)
      for (const shown of [label, `${label.toUpperCase()}:`, `${label.toLowerCase()} *`]) {
        const doc = showPage(`<html><body><div><span>${shown}</span><span>ws-lyon-12</span></div></body></html>`, 'https://acme.atlassian.net/browse/ITSM-1');
        expect(findValueByLabel(doc, defaultDeviceLabels), shown).toBe('ws-lyon-12');
      }
  });

  it('are what Jira and Zendesk use when none are configured', () => {
    const page = '<html><body><dl><dt>Device hostname</dt><dd>ws-lyon-12</dd></dl></body></html>';
    expect(createJiraFinder()(showPage(page, 'https://acme.atlassian.net/browse/ITSM-1')).device).toBe('ws-lyon-12');
    expect(createZendeskFinder()(showPage(page, 'https://acme.zendesk.com/agent/tickets/1')).device).toBe('ws-lyon-12');
  });
});
