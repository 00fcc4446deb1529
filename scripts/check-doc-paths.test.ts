// The docs cite only paths that exist, and the check finds the ones that do not.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asPath, docFiles, missingInDoc, missingPaths } from './check-doc-paths.mjs';

describe('cited paths in the docs', () => {
  it('all exist', () => {
    expect(docFiles()).toEqual(expect.arrayContaining(['README.md', 'ARCHITECTURE.md', 'CONTRIBUTING.md']));
    expect(missingPaths()).toEqual([]);
  });
});

describe('the cited-paths check', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'doc-paths-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const file = (rel: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), '');
  };
  for (const f of ['server/package.json', 'server/src/http/route.ts', 'server/src/services/identity/rights.ts', 'server/src/services/audit/append.ts', 'client/src/window/browser.ts', 'client/README.md']) file(f);
  writeFileSync(path.join(root, '.gitignore'), 'dist/\ndata/\n');

  const check = (text: string, doc = 'README.md') => missingInDoc(root, doc, text).map((m) => m.path);

  it('flags full paths that do not exist and accepts those that do', () => {
    expect(check('`server/src/http/route.ts` and `server/src/http/principal.ts` and `server/src/services/`')).toEqual(['server/src/http/principal.ts']);
  });

  it("resolves short paths against the section's folders, the sections above, and each part's src/", () => {
    const doc = [
      '## Server',
      'Routes in `server/src/http/route.ts`.',
      '### Services',
      'Rights: `services/identity/rights.ts`; the old `services/identity/principal.ts`; `audit/append.ts` under `server/src/services/audit/`.',
      '## Elsewhere',
      '`append.ts` is in no folder this section names; `http/route.ts` is under a part.',
    ].join('\n');
    expect(check(doc)).toEqual(['services/identity/principal.ts', 'append.ts']);
  });

  it('reads placeholders, modules without extensions, and paths relative to a folder README', () => {
    expect(check('`server/src/services/<domain>/<verb>.ts`, `server/src/nope/<verb>.ts`, `client/src/window/browser`')).toEqual(['server/src/nope/<verb>.ts']);
    expect(check('`src/window/browser.ts` and `src/window/gone.ts`', 'client/README.md')).toEqual(['src/window/gone.ts']);
  });

  it('skips code blocks, build output, URLs, absolute and environment paths', () => {
    const doc = ['```sh', 'cat `server/missing.ts`', '```', '`dist/extension/chrome-mv3` `data/pgdata/` `/run/fixpoint` `http://x/y.ts` `DATA_DIR/keys/a.pem` `10.0.0.0/8` `GET /api/v1`'].join('\n');
    expect(check(doc)).toEqual([]);
  });

  it('treats backticked text that is not a path as prose', () => {
    expect(asPath('npm run lint')).toBeNull();
    expect(asPath('@fixpoint/protocol')).toBeNull();
    expect(asPath('@extension/components/Launcher')).toBe('extension/components/Launcher');
    expect(asPath('backend/src/app.ts,')).toBe('backend/src/app.ts');
  });
});
