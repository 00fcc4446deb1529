/**
 * The Windows swap of the agent's binary (agent/src/update/swap.ts, style `windows`) done by a running Windows
 * program on itself, under Wine: node.exe copied as `fixpoint-agent.exe` runs the swap code on its own
 * `process.execPath`, as the agent does after a trial. What this shows is Wine's file semantics, which follow
 * Windows' for a running image: it can be renamed, not replaced.
 */
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { failedOf, nextOf, previousOf } from '../src/update/swap';
import { startWineNode, winePath } from './wine';

const runtime = inject('windows');
const work = mkdtempSync(join(tmpdir(), 'fixpoint-wine-swap-'));
const binary = join(work, 'fixpoint-agent.exe');
const script = join(work, 'swap.cjs');
const marker = (file: string) => {
  const bytes = readFileSync(file);
  return bytes.subarray(bytes.length - 8).toString('latin1');
};

beforeAll(async () => {
  // the swap code as the agent bundles it, driven by its first argument
  await build({
    stdin: {
      contents: `import { renameSync, writeFileSync } from 'node:fs';
import { nextOf, restorePrevious, swapIn } from './src/update/swap';
const [what, out] = process.argv.slice(2);
let result;
try {
  if (what === 'swap') swapIn(process.execPath, 'windows');
  else if (what === 'restore') restorePrevious(process.execPath, 'windows');
  else renameSync(nextOf(process.execPath, 'windows'), process.execPath);
  result = { ok: true, execPath: process.execPath };
} catch (err) {
  result = { ok: false, code: err.code, message: err.message };
}
writeFileSync(out, JSON.stringify(result));`,
      resolveDir: join(import.meta.dirname, '..'),
      loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', outfile: script, logLevel: 'warning',
  });
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `<exe> swap.cjs <what>` under Wine; returns what the script reported. */
async function runOnItself(exe: string, what: string): Promise<{ ok: boolean; code?: string; message?: string }> {
  const out = join(work, `${what}.json`);
  rmSync(out, { force: true });
  const run = startWineNode({ ...runtime!, nodeExe: exe }, work, [winePath(script), what, winePath(out)]);
  const code = await run.done;
  expect(code, run.read('stderr')).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** A copy of node.exe that ends with `tag` (8 bytes after the image, which Windows ignores). */
function nodeCopy(file: string, tag: string): void {
  copyFileSync(runtime!.nodeExe, file);
  appendFileSync(file, tag.padEnd(8, '.'));
}

describe.skipIf(!runtime)(`the Windows swap, by the running executable${runtime ? '' : ' (skipped: wine64 is not installed)'}`, () => {
  it('cannot replace its running executable by a rename, as the POSIX swap would', async () => {
    nodeCopy(binary, 'A');
    nodeCopy(nextOf(binary, 'windows'), 'B');
    expect(await runOnItself(binary, 'replace')).toMatchObject({ ok: false, code: 'EPERM' });
    expect(marker(binary)).toBe('A.......');
  }, 120_000);

  it('renames itself to .previous.exe and the new one takes its name; the new one, running, goes back', async () => {
    rmSync(previousOf(binary, 'windows'), { force: true });
    nodeCopy(binary, 'A');
    nodeCopy(nextOf(binary, 'windows'), 'B');
    expect(await runOnItself(binary, 'swap')).toMatchObject({ ok: true });
    expect(marker(binary)).toBe('B.......');
    expect(marker(previousOf(binary, 'windows'))).toBe('A.......');
    expect(existsSync(nextOf(binary, 'windows'))).toBe(false);

    // B, now running as fixpoint-agent.exe, did not reconnect: it puts A back
    expect(await runOnItself(binary, 'restore')).toMatchObject({ ok: true });
    expect(marker(binary)).toBe('A.......');
    expect(marker(previousOf(binary, 'windows'))).toBe('A.......');
    expect(marker(failedOf(binary, 'windows'))).toBe('B.......');
    expect(statSync(binary).size).toBe(statSync(previousOf(binary, 'windows')).size);
  }, 180_000);
});
