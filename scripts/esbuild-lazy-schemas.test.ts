import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { parseServerMessage } from '../protocol/src/agent-channel-parse';
import { lazySchema } from '../protocol/src/lazy-schema';
import { lazySchemaEdits, lazySchemas, wrapLazySchemas } from './esbuild-lazy-schemas.mjs';

const protocolSrc = fileURLToPath(new URL('../protocol/src/', import.meta.url));
const modules = readdirSync(protocolSrc).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));

describe('lazySchema', () => {
  it('builds on first use, once, and behaves as the schema inside other schemas', () => {
    let builds = 0;
    const Id = lazySchema(() => (builds++, z.string().uuid()));
    const Pair = z.object({ id: Id, other: Id.optional() });
    expect(builds).toBe(1); // .optional() above is a use
    const uuid = '11111111-2222-4333-8444-555555555555';
    expect(Pair.parse({ id: uuid })).toEqual({ id: uuid });
    expect(Pair.safeParse({ id: 'x' }).success).toBe(false);
    expect(Id instanceof z.ZodType).toBe(true);
    expect(Object.getOwnPropertyDescriptor(Id, '_zod')).toBeDefined();
    expect(builds).toBe(1);
  });

  it('does not build what is never used', () => {
    let builds = 0;
    lazySchema(() => (builds++, z.object({})));
    expect(builds).toBe(0);
  });
});

describe('the lazy-schemas esbuild plugin', () => {
  it('wraps only schemas: every export it wraps in the protocol is a zod schema', async () => {
    let wrapped = 0;
    for (const file of modules) {
      const edits = lazySchemaEdits(readFileSync(join(protocolSrc, file), 'utf8'), file);
      if (edits.length === 0) continue;
      const mod = (await import(join(protocolSrc, file))) as Record<string, unknown>;
      for (const { name } of edits) {
        if (!(name in mod)) continue; // module-private: used by exports, which would fail below if it were no schema
        expect(mod[name] instanceof z.ZodType, `${file}: ${name}`).toBe(true);
        wrapped++;
      }
    }
    expect(wrapped).toBeGreaterThan(200);
  });

  it('leaves other constants alone', () => {
    const source = [
      "import { Id } from './common';",
      "import { helper } from './other';",
      'export const A = z.object({ id: Id });',
      'export const B = A.extend({ n: z.number() });',
      'export const C = Id.optional();',
      "export const kinds = ['a', 'b'] as const;",
      "export const D = A.parse({ id: 'x' });",
      'export const names = Object.keys(A.shape);',
      'export const E = helper(A);',
      'export let F = z.string();',
    ].join('\n');
    expect(lazySchemaEdits(source).map((e) => e.name)).toEqual(['A', 'B', 'C']);
    const out = wrapLazySchemas(source, 'm.ts');
    expect(out).toContain('export const B = /* @__PURE__ */ __lazySchema(() => (A.extend({ n: z.number() })));');
    expect(out).toContain("export const D = A.parse({ id: 'x' });");
  });

  it('bundles the protocol with lazy schemas that still parse channel frames', async () => {
    const result = await build({
      stdin: {
        contents: "export { parseServerMessage, ServerAck } from '@fixpoint/protocol';",
        resolveDir: fileURLToPath(new URL('../agent/', import.meta.url)),
        loader: 'ts',
      },
      bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent', plugins: [lazySchemas],
    });
    const text = result.outputFiles[0]!.text;
    expect(text).toMatch(/lazySchema\(\(\) =>/);
    // schemas only the console uses are gone from the bundle
    expect(text).not.toContain('WebhookInput');
    const bundled = (await import(`data:text/javascript;base64,${Buffer.from(text).toString('base64')}`)) as { parseServerMessage: typeof parseServerMessage };
    expect(bundled.parseServerMessage(JSON.stringify({ type: 'challenge', nonce: 'A'.repeat(43) }))).toMatchObject({ ok: true });
    const bad = bundled.parseServerMessage(JSON.stringify({ type: 'nope' }));
    expect(bad).toMatchObject({ ok: false, error: { type: 'error', code: 'protocol_error' } });
    expect(bundled.parseServerMessage(JSON.stringify({ type: 'challenge' }))).toMatchObject({ ok: false, error: { message: expect.stringContaining('nonce') } });
  });
});
