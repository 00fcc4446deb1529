/**
 * The Firefox build as a store would check it: `web-ext lint` (Mozilla's addons-linter) on a fresh
 * `wxt build -b firefox` must report no errors, and the manifest must carry the gecko id.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('passes web-ext lint without errors', () => {
  execFileSync(process.execPath, ['node_modules/wxt/bin/wxt.mjs', 'build', '-b', 'firefox'], { cwd: root, stdio: 'ignore' });
  let out: string;
  try {
    out = execFileSync('node_modules/.bin/web-ext', ['lint', '--source-dir', 'dist/extension/firefox-mv2', '--self-hosted', '--output', 'json', '--no-input'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, WEB_EXT_NO_UPDATE_CHECK: '1' },
    });
  } catch (error) {
    // web-ext exits non-zero when the linter finds errors; the report is still on stdout.
    out = (error as { stdout: string }).stdout;
  }
  const report = JSON.parse(out) as { summary: { errors: number }; errors: { code: string; message: string }[]; metadata: { id: string } };
  expect(report.errors.map((e) => `${e.code}: ${e.message}`)).toEqual([]);
  expect(report.summary.errors).toBe(0);
  expect(report.metadata.id).toBe('extension@fixpoint.dev');
}, 120_000);
