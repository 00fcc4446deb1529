/**
 * @module Before the Windows tests: finds wine64, fetches the official Windows build of Node (`scripts/runtimes.mjs`,
 * through `npm pack`, cached in .cache/runtimes/), prepares one Wine prefix (cached in .cache/wine/, where its
 * first creation takes half a minute), and builds the agent bundle when its sources are newer. The paths are
 * `provide`d to the tests; without wine64 they get `null` and skip, saying so. On Windows itself the tests run on
 * the node.exe running them, with no Wine. The work starts once per run, side by side with the other projects' setups
 * (backend/src/testing/prepare.global.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { forget, once, run } from '../../backend/src/testing/prepared';
import { wineEnv, type WindowsRuntime } from './wine';

const root = fileURLToPath(new URL('../../', import.meta.url));
const agentDir = join(root, 'agent');
const bundle = join(agentDir, 'dist', 'fixpoint-agent.mjs');

/**
 * `FIXPOINT_TEST_WINE64` when set (a path that does not exist counts as no Wine), else wine64 on PATH, else where
 * Debian's package puts it (not on PATH), else whatever `dpkg -L wine64` names.
 */
export function findWine64(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.FIXPOINT_TEST_WINE64 !== undefined) return existsSync(env.FIXPOINT_TEST_WINE64) ? env.FIXPOINT_TEST_WINE64 : null;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) if (existsSync(join(dir, 'wine64'))) return join(dir, 'wine64');
  if (existsSync('/usr/lib/wine/wine64')) return '/usr/lib/wine/wine64';
  try {
    const listed = execFileSync('dpkg', ['-L', 'wine64'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return listed.split('\n').find((line) => /\/wine64$/.test(line) && !line.includes('/share/') && existsSync(line)) ?? null;
  } catch {
    return null;
  }
}

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/** `node agent/build.mjs` when the bundle is missing or older than what goes into it. */
async function buildAgentBundle(): Promise<void> {
  const sources = ['src', 'assets', 'build.mjs', 'package.json'].map((p) => join(agentDir, p));
  if (newest(bundle) >= Math.max(...sources.map(newest), newest(join(root, 'protocol', 'src')))) return;
  await run(process.execPath, ['build.mjs'], { cwd: agentDir });
}

/**
 * A prefix made once and reused. Wine's first start writes the prefix; Node 22 then refuses to start, because a
 * prefix made by wine64 alone reports Windows 7 (its 32-bit half cannot finish setting up), so it is set to Windows 10.
 */
async function preparePrefix(wine64: string): Promise<string> {
  const prefix = join(root, '.cache', 'wine', 'prefix');
  if (existsSync(join(prefix, '.fixpoint-ready'))) return prefix;
  mkdirSync(prefix, { recursive: true });
  const wine = (args: string[]) => withTimeout(run(wine64, args, { cwd: root, env: wineEnv(prefix) }), 180_000, `wine64 ${args[0]}`);
  await wine(['wineboot', '--init']);
  await wine(['winecfg', '/v', 'win10']);
  writeFileSync(join(prefix, '.fixpoint-ready'), `${new Date().toISOString()}\n`);
  return prefix;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The runtime the tests get: null without wine64 (they skip); the bundle is built meanwhile. */
export function prepare(): Promise<WindowsRuntime | null> {
  return once('windows', async () => {
    if (process.platform === 'win32') {
      await buildAgentBundle();
      return { wine64: null, nodeExe: process.execPath, prefix: null, bundle };
    }
    const wine64 = findWine64();
    if (!wine64) return null;
    const built = buildAgentBundle();
    // @ts-expect-error the script is plain JavaScript without declarations
    const { fetchRuntimeAsync } = (await import('../../scripts/runtimes.mjs')) as { fetchRuntimeAsync(target: string): Promise<string> };
    // the download (a child process) and the prefix (Wine's) side by side: neither needs the other, and a fresh clone
    // has neither
    const [nodeExe, prefix] = await Promise.all([fetchRuntimeAsync('win-x64'), preparePrefix(wine64)]);
    await built;
    return { wine64, nodeExe, prefix, bundle };
  });
}

export default async function setup(project: TestProject): Promise<() => void> {
  project.provide('windows', await prepare());
  return () => forget('windows');
}

declare module 'vitest' {
  export interface ProvidedContext {
    windows: WindowsRuntime | null;
  }
}
