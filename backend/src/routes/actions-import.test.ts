import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { auditEntries, createRunnerRole, sampleAction } from '../testing/actions';
import { createTestBackend, type TestBackend } from '../testing/harness';

/** Scripts that a careless YAML or JSON writer would alter. */
const trickyScripts = {
  windows: { shell: 'powershell' as const, source: 'Write-Host "tab\there"   \r\nif ($x) {\r\n  exit 1\r\n}\r\n' },
  macos: { shell: 'zsh' as const, source: '  # starts indented\n---\n...\nkey: value # not YAML\n\n\n' },
  linux: { shell: 'bash' as const, source: "echo 'ünïcødé €' \"$HOME\" \\\nno-final-newline   " },
};

describe('action import and export', () => {
  let t: TestBackend;
  let author: Record<string, string>;
  beforeAll(async () => {
    t = await createTestBackend();
    author = await t.as('author', 'importer@test.local');
  });
  afterAll(() => t.close());

  const importFile = (body: unknown, contentType = 'application/json') =>
    t.call('POST', '/api/v1/actions/import', { headers: { ...author, 'content-type': contentType }, body });
  const exportFile = async (ref: string, query = '') => {
    const res = await t.app.request(`/api/v1/actions/${ref}/export${query}`, { headers: author });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const file = (overrides: Parameters<typeof sampleAction>[0] = {}) => ({ kind: 'fixpoint/action', apiVersion: 1, ...sampleAction(overrides) });

  it('creates an action from a JSON file, then adds no version for the same file', async () => {
    const first = await importFile(file({ slug: 'tricky', scripts: trickyScripts }));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ outcome: 'created', action: { slug: 'tricky', latestVersion: 1 } });
    const again = await importFile(file({ slug: 'tricky', scripts: trickyScripts }));
    expect(again.body).toMatchObject({ outcome: 'unchanged', action: { latestVersion: 1 } });
    const entries = await auditEntries(t, 'action.import');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'user:importer@test.local', target: 'action:tricky', details: { outcome: 'created', version: 1 } });
  });

  it('exports YAML with a filename and round-trips it unchanged', async () => {
    const exported = await exportFile('tricky');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('application/yaml');
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="tricky.action.yaml"');
    expect(exported.text.startsWith('kind: fixpoint/action\napiVersion: 1\nslug: tricky\n')).toBe(true);
    const parsed = parse(exported.text);
    expect(parsed.scripts).toEqual(trickyScripts);
    const back = await importFile(exported.text, 'application/yaml');
    expect(back.status).toBe(200);
    expect(back.body.outcome).toBe('unchanged');
    expect((await importFile(exported.text, 'text/yaml')).body.outcome).toBe('unchanged');
  });

  it('exports JSON that round-trips unchanged too', async () => {
    const exported = await exportFile('tricky', '?format=json');
    expect(exported.headers.get('content-type')).toContain('application/json');
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="tricky.action.json"');
    const parsed = JSON.parse(exported.text);
    expect(parsed).toMatchObject({ kind: 'fixpoint/action', apiVersion: 1, slug: 'tricky', scripts: trickyScripts, timeoutSec: 300 });
    expect((await importFile(exported.text)).body.outcome).toBe('unchanged');
  });

  it('adds a version when an imported file differs, and exports any version', async () => {
    const exported = parse((await exportFile('tricky')).text);
    exported.parameters.push({ name: 'Force', type: 'bool', default: false });
    const res = await importFile(stringify(exported), 'application/yaml');
    expect(res.body).toMatchObject({ outcome: 'updated', action: { latestVersion: 2, current: { version: 2, createdBy: 'user:importer@test.local' } } });
    expect((await auditEntries(t, 'action.import'))[1]).toMatchObject({ details: { outcome: 'updated', version: 2 } });
    const v1 = parse((await exportFile('tricky', '?version=1')).text);
    expect(v1.parameters).toHaveLength(1);
    const v2 = parse((await exportFile('tricky', '?version=2')).text);
    expect(v2.parameters.map((p: { name: string }) => p.name)).toEqual(['Reason', 'Force']);
    expect((await exportFile('tricky', '?version=3')).status).toBe(404);
  });

  it('imports with defaults filled, equal to the same action written in full', async () => {
    const minimal = 'kind: fixpoint/action\napiVersion: 1\nslug: minimal\nname: Minimal\npurpose: data_collection\nscripts:\n  linux:\n    source: uptime\n';
    expect((await importFile(minimal, 'application/yaml')).body.outcome).toBe('created');
    const full = await exportFile('minimal');
    expect(parse(full.text)).toMatchObject({ runAs: 'system', triggers: ['manual', 'extension', 'api'], parameters: [], scripts: { linux: { shell: 'sh' } } });
    expect((await importFile(full.text, 'application/yaml')).body.outcome).toBe('unchanged');
  });

  it('rejects malformed and invalid files with 400', async () => {
    const cases: [string, string, RegExp][] = [
      ['key: [unclosed', 'application/yaml', /not valid YAML/],
      ['a: 1\na: 2\n', 'application/yaml', /not valid YAML/],
      ['just a string', 'application/yaml', /body/],
      [stringify({ ...file({ slug: 'kk' }), kind: 'fixpoint/campaign' }), 'application/yaml', /kind/],
      [stringify({ ...file({ slug: 'kk' }), apiVersion: 2 }), 'application/yaml', /apiVersion/],
      [stringify({ ...file({ slug: 'kk' }), apiVersion: '1' }), 'application/yaml', /apiVersion/],
      [stringify(sampleAction({ slug: 'no-kind' })), 'application/yaml', /kind/],
      [stringify({ ...file({ slug: 'kk' }), extra: true }), 'application/yaml', /extra/],
      [stringify(file({ slug: 'kk', parameters: Array.from({ length: 51 }, (_, i) => ({ name: `P${i}`, type: 'int' as const })) })), 'application/yaml', /limited to 50 parameters/],
      ['kind: fixpoint/action\nslug: "a\\0b"\n', 'application/yaml', /./],
      [JSON.stringify(file({ slug: 'nul', name: 'a\u0000b' })), 'application/json', /NUL/],
      ['{"kind": "fixpoint/action",', 'application/json', /not valid JSON/],
    ];
    for (const [body, type, message] of cases) {
      const res = await importFile(body, type);
      expect(res.status, body.slice(0, 60)).toBe(400);
      expect(res.body.error.message, body.slice(0, 60)).toMatch(message);
    }
    expect((await importFile('slug: x', 'text/plain')).status).toBe(415);
  });

  it('refuses a YAML alias bomb without expanding it', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) lines.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i - 1]}`).join(',')}]`);
    const res = await importFile(`${lines.join('\n')}\n`, 'application/yaml');
    expect(res.status).toBe(400);
  });

  it('refuses to import over an archived action', async () => {
    expect((await t.call('DELETE', '/api/v1/actions/minimal', { headers: author })).status).toBe(200);
    const res = await importFile(file({ slug: 'minimal' }));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('archived');
    expect((await exportFile('minimal')).status).toBe(200);
  });

  it('exports only what the caller may see', async () => {
    await createRunnerRole(t, 'tricky-runner', ['tricky']);
    const runner = await t.as('tricky-runner');
    expect((await t.app.request('/api/v1/actions/tricky/export', { headers: runner })).status).toBe(200);
    expect((await t.app.request('/api/v1/actions/minimal/export', { headers: runner })).status).toBe(404);
    expect((await t.app.request('/api/v1/actions/tricky/export')).status).toBe(401);
  });
});
