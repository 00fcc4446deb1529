import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '@fixpoint/protocol';
import { sampleAction } from '../testing/actions';
import { createTestBackend, type TestBackend } from '../testing/harness';

const kb = 1024;

describe('actions input limits and hostile input', () => {
  let t: TestBackend;
  let author: Record<string, string>;
  beforeAll(async () => {
    t = await createTestBackend();
    author = await t.as('author');
  });
  afterAll(() => t.close());

  const create = (body: unknown, headers: Record<string, string> = {}) =>
    t.call('POST', '/api/v1/actions', { headers: { ...author, ...headers }, body });
  const params = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `P${i}`, type: 'string' as const }));
  const outputs = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `o${i}`, type: 'int' as const }));

  /** Each case breaks one limit; the 400 must say which. */
  const overLimits: [string, unknown, RegExp][] = [
    ['51 parameters', sampleAction({ slug: 'p51', parameters: params(51) }), /limited to 50 parameters/],
    ['51 outputs', sampleAction({ slug: 'o51', outputs: outputs(51) }), /limited to 50 outputs/],
    ['a 601 KB script', sampleAction({ slug: 's601', scripts: { linux: { source: 'x'.repeat(601 * kb) } } }), /script is limited to 600 KB/],
    // 205k three-byte characters: under 600k characters, over 600 KB.
    ['a multi-byte script', sampleAction({ slug: 'utf8', scripts: { linux: { source: '€'.repeat(205 * kb) } } }), /script is limited to 600 KB/],
    ['timeout above 24 h', sampleAction({ slug: 'to', timeoutSec: limits.maxTimeoutSec + 1 }), /timeoutSec is limited to 86400 seconds/],
    ['timeout of 0', sampleAction({ slug: 'to0', timeoutSec: 0 }), /timeoutSec must be at least 1/],
    ['expiry above 30 days', sampleAction({ slug: 'ex', expirySec: limits.maxExpirySec + 1 }), /expirySec is limited to 2592000 seconds/],
    ['expiry below a minute', sampleAction({ slug: 'ex0', expirySec: 59 }), /expirySec must be at least 60/],
    ['output cap above 1 MB', sampleAction({ slug: 'cap', outputCapBytes: limits.maxOutputCapBytes + 1 }), /outputCapBytes is limited to/],
    [
      'an output maxBytes above 64 KB',
      sampleAction({ slug: 'mb', outputs: [{ name: 'big', type: 'string', maxBytes: limits.maxStringOutputBytes + 1 }] }),
      /maxBytes is limited to 65536 bytes/,
    ],
    [
      'a parameter default above 32 KB',
      sampleAction({ slug: 'pd', parameters: [{ name: 'Big', type: 'string', default: 'x'.repeat(32 * kb + 1) }] }),
      /parameter value is limited to 32 KB/,
    ],
  ];

  it.each(overLimits)('rejects %s with a message naming the limit', async (_name, body, message) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toMatch(message);
  });

  it('accepts everything exactly at the limits, including three 600 KB scripts', async () => {
    const source = 'x'.repeat(limits.maxScriptBytes);
    const body = sampleAction({
      slug: 'at-limits',
      scripts: { windows: { source }, macos: { source }, linux: { source } },
      parameters: params(limits.maxParameters),
      outputs: outputs(limits.maxOutputs),
      timeoutSec: limits.maxTimeoutSec,
      expirySec: limits.maxExpirySec,
      outputCapBytes: limits.maxOutputCapBytes,
    });
    const res = await create(body);
    expect(res.status).toBe(201);
    expect(res.body.platforms).toEqual(['windows', 'macos', 'linux']);
    const again = await t.call('PUT', '/api/v1/actions/at-limits', { headers: author, body: { ...body, name: 'v2' } });
    expect(again.status).toBe(200);
    const file = { kind: 'fixpoint/action', apiVersion: 1, ...body, slug: 'at-limits-imported' };
    expect((await t.call('POST', '/api/v1/actions/import', { headers: author, body: file })).status).toBe(200);
  });

  it('answers 413 to a body above the limit', async () => {
    const body = JSON.stringify(sampleAction({ slug: 'huge', description: 'x'.repeat(3 * kb * kb) }));
    for (const [method, path] of [['POST', '/api/v1/actions'], ['PUT', '/api/v1/actions/huge'], ['POST', '/api/v1/actions/import']]) {
      const res = await t.call(method!, path!, { headers: author, body });
      expect(res.status, path).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    }
  });

  it('rejects malformed JSON, a missing body and the wrong content type', async () => {
    const bad = await create('{"slug": "x",');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_json');
    expect((await create('')).status).toBe(400);
    const text = await create(JSON.stringify(sampleAction()), { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const yaml = await create('slug: x', { 'content-type': 'application/yaml' });
    expect(yaml.status).toBe(415);
  });

  const badBodies: [string, unknown][] = [
    ['an array', [sampleAction()]],
    ['null', null],
    ['a number', 42],
    ['a number as name', sampleAction({ slug: 'wrong-name', name: 42 as never })],
    ['a string timeout', sampleAction({ slug: 'wrong-timeout', timeoutSec: '300' as never })],
    ['a fractional timeout', sampleAction({ slug: 'frac', timeoutSec: 1.5 })],
    ['an unknown purpose', sampleAction({ slug: 'purpose', purpose: 'fun' as never })],
    ['an unknown top-level field', { ...sampleAction({ slug: 'extra' }), owner: 'me' }],
    ['an unknown script field', sampleAction({ slug: 'extra2', scripts: { linux: { source: 'true', sudo: true } as never } })],
    ['an unknown platform', sampleAction({ slug: 'extra3', scripts: { beos: { source: 'x' } } as never })],
    ['an unknown parameter field', sampleAction({ slug: 'extra4', parameters: [{ name: 'A', type: 'string', evil: 1 } as never] })],
    ['a __proto__ key', JSON.parse(`{"__proto__": {"admin": true}, ${JSON.stringify(sampleAction({ slug: 'proto' })).slice(1)}`)],
    ['no script', sampleAction({ slug: 'noscript', scripts: {} })],
    ['an empty script', sampleAction({ slug: 'empty', scripts: { linux: { source: '' } } })],
    ['a wrong shell', sampleAction({ slug: 'shell', scripts: { windows: { shell: 'cmd' as never, source: 'dir' } } })],
    ['an invalid slug', sampleAction({ slug: 'Bad Slug!' })],
    ['a SQL-ish slug', sampleAction({ slug: "x'; drop table actions; --" })],
    ['a parameter declared twice', sampleAction({ slug: 'twice', parameters: [{ name: 'A', type: 'int' }, { name: 'a', type: 'int' }] })],
    ['a parameter name with a dash', sampleAction({ slug: 'dash', parameters: [{ name: 'A-B', type: 'int' }] })],
    ['an enum without values', sampleAction({ slug: 'enum', parameters: [{ name: 'E', type: 'enum' }] })],
    ['a default of the wrong type', sampleAction({ slug: 'dflt', parameters: [{ name: 'N', type: 'int', default: 'ten' }] })],
    ['a secret with a default', sampleAction({ slug: 'secret', parameters: [{ name: 'S', type: 'string', secret: true, default: 'pw' }] })],
    ['an unknown output type', sampleAction({ slug: 'otype', outputs: [{ name: 'x', type: 'blob' as never }] })],
    ['no triggers', sampleAction({ slug: 'trig', triggers: [] })],
    // PostgreSQL text and jsonb cannot hold U+0000; it must be a 400, not a failed insert.
    ['a NUL in the description', sampleAction({ slug: 'nul', description: 'a\u0000b' })],
    ['a NUL in a script', sampleAction({ slug: 'nul2', scripts: { linux: { source: 'echo \u0000' } } })],
  ];

  it.each(badBodies)('rejects %s with 400 and writes nothing', async (_name, body) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toMatch(/^body/);
  });

  it('stored nothing from the rejected bodies', async () => {
    const listed = await t.call('GET', '/api/v1/actions', { headers: author });
    expect(listed.body.items.map((a: { slug: string }) => a.slug).sort()).toEqual(['at-limits', 'at-limits-imported']);
  });

  it('stores SQL-ish and markup text verbatim', async () => {
    const hostile = "Robert'); DROP TABLE actions;-- <script>alert(1)</script> \\ %_ \u{1F600} ?";
    const body = sampleAction({
      slug: 'hostile-text',
      name: hostile,
      description: hostile,
      scripts: { linux: { source: `echo '${hostile}' $(rm -rf /) \`id\`` } },
      parameters: [{ name: 'Q', type: 'enum', allowedValues: ["'; select 1; --", 'ok'] }],
    });
    const res = await create(body);
    expect(res.status).toBe(201);
    const back = await t.call('GET', '/api/v1/actions/hostile-text', { headers: author });
    expect(back.body.current).toMatchObject({
      name: body.name,
      description: hostile,
      scripts: { linux: { source: body.scripts.linux!.source } },
      parameters: [{ allowedValues: ["'; select 1; --", 'ok'] }],
    });
    const found = await t.call('GET', `/api/v1/actions?q=${encodeURIComponent("Robert'); DROP")}`, { headers: author });
    expect(found.body.items.map((a: { slug: string }) => a.slug)).toEqual(['hostile-text']);
  });

  it('rejects oversized or odd query and path values with 400', async () => {
    expect((await t.call('GET', `/api/v1/actions?q=${'x'.repeat(201)}`, { headers: author })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/actions?archived=maybe', { headers: author })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/actions?offset=-1', { headers: author })).status).toBe(400);
    expect((await t.call('GET', `/api/v1/actions/${'x'.repeat(129)}`, { headers: author })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/actions/at-limits/versions/99999999999', { headers: author })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/actions/at-limits/export?format=xml', { headers: author })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/actions?q=a%00b', { headers: author })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/actions/a%00b', { headers: author })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/actions/a%00b/versions', { headers: author })).status).toBe(400);
  });
});
