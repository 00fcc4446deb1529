/**
 * The OpenAPI document as an outside validator reads it (Redocly's, the one behind `redocly lint`), and the reference
 * page rendered from it.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTags } from '@fixpoint/protocol/api';
import { createTestBackend, type TestBackend } from '../testing/harness';
import { inlineMarkdown } from './reference-page';

let t: TestBackend;
beforeAll(async () => {
  t = await createTestBackend();
});
afterAll(() => t.close());

describe('OpenAPI document', () => {
  it('passes Redocly lint with no errors and no warnings', async () => {
    const source = await (await t.app.request('/api/openapi.json')).text();
    // The recommended rules, plus the one newer Redocly versions add to them: a required property must be declared.
    const config = await createConfig({ extends: ['recommended'], rules: { 'no-required-schema-properties-undefined': 'warn' } });
    const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
    const lines = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
    expect(lines).toEqual([]);
  });

  it('lists its tags, each used, named in one style', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body as { tags: { name: string }[]; paths: Record<string, Record<string, { tags: string[] }>> };
    const used = new Set(Object.values(doc.paths).flatMap((ops) => Object.values(ops).flatMap((op) => op.tags)));
    expect(doc.tags.map((tag) => tag.name)).toEqual(Object.keys(apiTags));
    expect([...used].sort()).toEqual(Object.keys(apiTags).sort());
    for (const name of used) expect(name, 'a tag starts with a capital letter').toMatch(/^[A-Z]/);
  });
});

describe('reference page', () => {
  it('renders the markdown of summaries: code spans and bold, on escaped text', () => {
    expect(inlineMarkdown('Send `{}` for **8 hours** <now>')).toBe('Send <code>{}</code> for <strong>8 hours</strong> &lt;now&gt;');
    expect(inlineMarkdown('a prefix ending in `*`, or "*"')).toBe('a prefix ending in <code>*</code>, or &quot;*&quot;');
  });

  it('shows no literal backticks outside code blocks, and sections named by tag', async () => {
    const html = await (await t.app.request('/api/docs')).text();
    const prose = html.replace(/<pre>[\s\S]*?<\/pre>/g, '');
    expect(prose).not.toContain('`');
    expect(prose).toContain('<code>clientSecret</code> is in this response only');
    expect(prose).toContain('<code>Authorization: Bearer …</code>');
    for (const tag of Object.keys(apiTags)) expect(prose).toMatch(new RegExp(`<h2 id="tag-[a-z-]+">${tag}</h2>`));
  });
});
