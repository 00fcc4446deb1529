/**
 * @module What the vitest global setups prepare before a run (the PGlite template, the console and extension builds,
 * the Windows runtime): each piece of work starts once per run however many projects ask for it, and a build whose
 * inputs have not changed since the last run is not redone.
 *
 * - `once(name, work)`: vitest loads a global setup file once per project, each copy a module of its own, so the
 *   promise is kept on the global object; `prepare.global.ts` starts every setup's work at once with it.
 * - `upToDate(stamp, hash, outputs)` / `buildAndStamp`: a build is current when the sha256 of its inputs' contents (file names
 *   and bytes) matches the one written beside it after the last build. Contents, not modification times, so a checkout
 *   or a `touch` that changes nothing rebuilds nothing, and an edit always does.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** Outputs kept between runs (ignored by git), next to the Wine prefix and the fetched runtimes. */
export const cacheDir = join(repoRoot, '.cache', 'test');

const holder = globalThis as { fixpointPrepared?: Map<string, Promise<unknown>> };

/** `work()` started at most once per run (per vitest process); every caller gets the same promise. */
export function once<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = (holder.fixpointPrepared ??= new Map());
  if (!started.has(name)) started.set(name, work());
  return started.get(name) as Promise<T>;
}

/** Forgets `name`'s work, so a later run in the same process (watch mode) starts it again. */
export function forget(name: string): void {
  holder.fixpointPrepared?.delete(name);
}

// build outputs and caches are no inputs; test files go into no build
const skipped = new Set(['node_modules', 'dist', '.output', '.wxt', '.cache', 'test-results']);
const testFile = /\.test\.tsx?$/;

/** sha256 over every file under `paths` (absolute; files or folders, test files left out): paths from the repository root and bytes. */
export function inputsHash(paths: string[]): string {
  const hash = createHash('sha256');
  const add = (path: string): void => {
    if (!existsSync(path)) {
      hash.update(`missing ${relative(repoRoot, path)}\0`);
      return;
    }
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) if (!skipped.has(name) && !testFile.test(name)) add(join(path, name));
      return;
    }
    hash.update(`${relative(repoRoot, path)}\0`).update(readFileSync(path)).update('\0');
  };
  for (const path of paths) add(path);
  return hash.digest('hex');
}

/**
 * Whether `stamp` (written by `markBuilt`) names this inputs hash and the outputs it guards exist, none written after
 * it: a build made by hand since (from other sources, maybe) is not trusted.
 */
export function upToDate(stamp: string, hash: string, outputs: string[]): boolean {
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== hash) return false;
  const stamped = statSync(stamp).mtimeMs;
  return outputs.every((o) => existsSync(o) && statSync(o).mtimeMs <= stamped);
}

/** Runs `build`, then writes `stamp`; the old stamp goes first, so a build that fails is never taken as current. */
export async function buildAndStamp(stamp: string, hash: string, build: () => Promise<void>): Promise<void> {
  rmSync(stamp, { force: true });
  await build();
  writeFileSync(stamp, `${hash}\n`);
}

/** Runs a command without blocking this process (so other setups go on meanwhile); rejects with its output on failure. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}
