/**
 * @module The private directory one run lives in: the script, its parameters file and its output file. Created 0700
 * under the system temp dir (handed to the user for user runs), deleted after the run. The `fixpoint` helper
 * command lives in one read-only directory per agent process on Linux and macOS (written once, not per run);
 * on Windows it is written into each run directory, which the user's ACL grant covers.
 */
import { chmod, lstat, mkdir, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import type { Envelope } from '@fixpoint/protocol';
import { describeError, log } from '../log';
import { removeTree } from '../state/trusted-dirs';
import { readAsset } from './assets';
import { quotePowerShell } from './powershell-quote';
import type { PlatformOps, RunUser } from './platform';

export interface Workspace {
  dir: string;
  scriptPath: string;
  paramsFile: string;
  outputFile: string;
  binDir: string;
}

const RUN_DIR_PREFIX = 'fixpoint-run-';
const HELPERS_PREFIX = 'fixpoint-helpers-';
/** The parameters file of a run without parameters: `{}`, shared and read-only. */
const NO_PARAMETERS = 'no-parameters.json';
/** What the shared helper directory holds; it is checked before each run and written again when incomplete. */
const HELPER_FILES = ['fixpoint', 'fixpoint.sh', 'fixpoint-campaign.mjs', NO_PARAMETERS];

/**
 * Where run directories go. On macOS root's own temp dir (under /var/folders) is closed to other users, which a user
 * run must traverse; /private/tmp is world-traversable and sticky.
 */
export function runBaseDir(): string {
  return process.platform === 'darwin' ? '/private/tmp' : tmpdir();
}

/** True for a path that looks like one of our run directories (whatever a journal says). */
function isRunDir(path: string): boolean {
  return dirname(path) === resolve(runBaseDir()) && basename(path).startsWith(RUN_DIR_PREFIX);
}

/** Deletes a left-behind run or helper directory; on Windows as the service, elsewhere without following the user's links. */
async function removeLeftover(path: string): Promise<void> {
  if (process.platform === 'win32') await rm(path, { recursive: true, force: true });
  // a user run's directory is the user's: `removeTree` deletes it as the user
  else removeTree(path);
}

/**
 * Deletes a run directory a crashed agent left behind (it may hold secret parameters). Only paths that look like
 * one of ours are touched, whatever the journal says.
 */
export function removeLeftoverWorkspace(dir: string): void {
  const path = resolve(dir);
  if (isRunDir(path))
    removeLeftover(path).catch((err: unknown) => log.warn('cannot delete a left-behind run directory', { dir: path, error: describeError(err) }));
}

/**
 * Deletes the run and helper directories of agent processes that are gone. Directory names carry the pid of the
 * agent process that made them (`fixpoint-run-<pid>-…`); a run directory is deleted after its result is reported,
 * so an agent that dies in between leaves one behind, and this finds it on the next start. Returns how many went.
 */
export async function removeOrphanedWorkspaces(isAlive: (pid: number) => boolean): Promise<number> {
  const base = runBaseDir();
  let removed = 0;
  for (const name of await readdir(base)) {
    const m = /^fixpoint-(?:run|helpers)-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    try {
      await removeLeftover(join(base, name));
      removed++;
    } catch (err) {
      log.warn('cannot delete a left-behind run directory', { dir: join(base, name), error: describeError(err) });
    }
  }
  return removed;
}

const posixHelper = (shPath: string) =>
  `#!/bin/sh\n# Fixpoint helper command; see fixpoint.sh next to it.\n. '${shPath.replace(/'/g, `'\\''`)}'\nfixpoint "$@"\n`;

/**
 * The `fixpoint` command on Windows. `fixpoint.ps1` imports the module and runs its `fixpoint` with the arguments
 * (PowerShell finds it on PATH and runs it in-process); its BOM makes Windows PowerShell read a non-ASCII path as UTF-8.
 * `fixpoint.cmd` serves other languages through `-File`, which hands the arguments over as they are: after `-Command`
 * PowerShell would join them into one line of code and parse it again, splitting `"a b"` and running `$(…)`.
 * The exit code carries `fixpoint campaign`'s outcome.
 */
export const windowsHelperScript = (modulePath: string) => `\ufeffImport-Module ${quotePowerShell(modulePath)}\r\nfixpoint @args\r\nexit $LASTEXITCODE\r\n`;
export const windowsHelperCmd = '@echo off\r\npowershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "%~dp0fixpoint.ps1" %*\r\n';

interface SharedHelpers {
  dir: string;
  /** The directory's device and inode: a directory someone else made under the same name is not it. */
  id: string;
  /** Drops the delete-on-exit hook (the directory is being replaced). */
  forget(): void;
}

let sharedHelpers: Promise<SharedHelpers> | null = null;

const removeQuietly = (dir: string) => {
  try {
    removeTree(dir);
  } catch {
    // the next start's orphan sweep tries again
  }
};

/**
 * Writes the POSIX helpers (`fixpoint`, `fixpoint.sh`, `fixpoint-campaign.mjs`, an empty parameters file) into a
 * new directory, readable by everyone and writable by the agent only. The directory stays private until it is
 * complete; it is deleted when the process exits.
 */
async function writeSharedHelpers(): Promise<SharedHelpers> {
  const dir = await mkdtemp(join(runBaseDir(), `${HELPERS_PREFIX}${process.pid}-`));
  const removeOnExit = () => removeQuietly(dir);
  process.once('exit', removeOnExit);
  const forget = () => void process.removeListener('exit', removeOnExit);
  try {
    const shPath = join(dir, 'fixpoint.sh');
    const files: [string, string, number][] = [
      [shPath, readAsset('fixpoint.sh'), 0o644],
      [join(dir, 'fixpoint'), posixHelper(shPath), 0o755],
      [join(dir, 'fixpoint-campaign.mjs'), readAsset('fixpoint-campaign.mjs'), 0o644],
      [join(dir, NO_PARAMETERS), '{}', 0o644],
    ];
    // chmod as well: writeFile's mode is subject to the umask (the service runs with 077)
    await Promise.all(files.map(([path, text, mode]) => writeFile(path, text, { mode }).then(() => chmod(path, mode))));
    await chmod(dir, 0o755);
    const st = await lstat(dir);
    return { dir, id: `${st.dev}:${st.ino}`, forget };
  } catch (err) {
    forget();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Whether the helper directory is still the one this process wrote. A temp cleaner may delete it while the agent runs
 * for days, and then anyone may create a directory of that name in the shared temp dir: every run, root's included,
 * would find its `fixpoint` command there.
 */
async function isOurHelperDir(helpers: SharedHelpers): Promise<boolean> {
  const st = await lstat(helpers.dir).catch(() => null);
  return !!st && st.isDirectory() && `${st.dev}:${st.ino}` === helpers.id && st.uid === (process.geteuid?.() ?? 0) && (st.mode & 0o7777) === 0o755;
}

/**
 * The shared helper directory, written on first use. Before each run it is checked to be ours and listed once, and
 * written again when it is not (see {@link isOurHelperDir}) or when files went missing.
 */
async function helperDir(attempt = 0): Promise<string> {
  const current = (sharedHelpers ??= writeSharedHelpers());
  const helpers = await current.catch((err: unknown) => {
    if (sharedHelpers === current) sharedHelpers = null;
    throw err;
  });
  const ours = await isOurHelperDir(helpers);
  const names = ours ? await readdir(helpers.dir).catch(() => [] as string[]) : [];
  if (ours && HELPER_FILES.every((f) => names.includes(f))) return helpers.dir;
  if (attempt > 0) throw new Error(`the helper directory ${helpers.dir} is incomplete`);
  if (sharedHelpers === current) {
    sharedHelpers = null;
    helpers.forget();
    // someone else's directory under that name is theirs to delete
    if (ours) removeQuietly(helpers.dir);
  }
  return helperDir(attempt + 1);
}

/** Windows: the helper command and the PowerShell module, in the run directory (the user's ACL grant covers them). */
async function writeWindowsHelpers(dir: string, binDir: string): Promise<void> {
  const moduleDir = join(dir, 'modules', 'Fixpoint');
  await Promise.all([mkdir(moduleDir, { recursive: true }), mkdir(binDir, { mode: 0o700 })]);
  await Promise.all([
    writeFile(join(moduleDir, 'Fixpoint.psm1'), readAsset('Fixpoint.psm1')),
    writeFile(join(binDir, 'fixpoint.ps1'), windowsHelperScript(join(moduleDir, 'Fixpoint.psm1'))),
    writeFile(join(binDir, 'fixpoint.cmd'), windowsHelperCmd),
    writeFile(join(binDir, 'fixpoint-campaign.mjs'), readAsset('fixpoint-campaign.mjs'), { mode: 0o600 }),
  ]);
}

/**
 * Creates the run directory with what the script needs, in one mkdtemp and parallel writes. Secrets only ever land
 * in the 0600 params file, which is written only when there are parameters (otherwise the shared `{}` is named).
 */
export async function prepareWorkspace(platform: PlatformOps, envelope: Envelope, user: RunUser | null): Promise<Workspace> {
  const dir = await mkdtemp(join(runBaseDir(), `${RUN_DIR_PREFIX}${process.pid}-`));
  try {
    const { payload } = envelope;
    const windows = platform.name === 'windows';
    const withParams = windows || Object.keys(payload.parameters).length > 0;
    const ownBin = join(dir, 'bin');
    const scriptPath = join(dir, `script${platform.scriptExtension(payload.shell)}`);
    const paramsFile = join(dir, 'params.json');
    const outputFile = join(dir, 'outputs.jsonl');
    // Windows PowerShell 5.1 reads a BOM-less script in the ANSI code page; the BOM makes it read UTF-8.
    const scriptText = scriptPath.endsWith('.ps1') ? `\ufeff${envelope.script}` : envelope.script;
    const [shared] = await settleAll([
      windows ? writeWindowsHelpers(dir, ownBin).then(() => null) : helperDir(),
      writeFile(scriptPath, scriptText, { mode: 0o600 }),
      open(outputFile, 'wx', 0o600).then((file) => file.close()),
      withParams ? writeFile(paramsFile, JSON.stringify(payload.parameters), { mode: 0o600 }) : null,
    ] as const);
    const ws: Workspace = {
      dir,
      scriptPath,
      paramsFile: withParams || !shared ? paramsFile : join(shared, NO_PARAMETERS),
      outputFile,
      binDir: shared ?? ownBin,
    };
    if (user) await platform.grantWorkspace(dir, user);
    return ws;
  } catch (err) {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}

/** Like Promise.all, but rejects only once every promise has settled (nothing still writes into a directory being deleted). */
async function settleAll<T extends readonly unknown[]>(promises: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

/** Environment values cannot hold NUL; such a parameter is reported instead of crashing the spawn. */
export function findUnsafeParameter(parameters: Record<string, unknown>): string | null {
  for (const [name, value] of Object.entries(parameters)) if (String(value).includes('\0')) return name;
  return null;
}

const setVar = (env: Record<string, string>, key: string, value: string) => {
  // Windows variable names are case-insensitive: replace `Path` rather than adding a second `PATH`.
  const existing = Object.keys(env).find((k) => k.toUpperCase() === key.toUpperCase());
  if (existing && existing !== key) delete env[existing];
  env[key] = value;
};

/** The agent's own environment, minus its FIXPOINT_* settings: the base of a system run. */
export function systemBaseEnv(agentEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(agentEnv)) if (v !== undefined && !k.toUpperCase().startsWith('FIXPOINT_')) env[k] = v;
  return env;
}

/** Adds parameters (`FIXPOINT_PARAM_<NAME>`), the run's files and the helper directory to `base`. */
export function scriptEnv(base: Record<string, string>, ws: Workspace, envelope: Envelope, platform: PlatformOps): Record<string, string> {
  const env = { ...base };
  for (const [name, value] of Object.entries(envelope.payload.parameters)) env[`FIXPOINT_PARAM_${name.toUpperCase()}`] = String(value);
  env.FIXPOINT_EXECUTION_ID = envelope.payload.executionId;
  env.FIXPOINT_PARAMS_FILE = ws.paramsFile;
  env.FIXPOINT_OUTPUT_FILE = ws.outputFile;
  env.FIXPOINT_BIN = ws.binDir;
  // `fixpoint campaign` is a small node program next to the helper; scripts never depend on node being on PATH
  env.FIXPOINT_NODE = process.execPath;
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  setVar(env, 'PATH', [ws.binDir, env[pathKey]].filter(Boolean).join(delimiter));
  if (platform.name === 'windows') {
    const modules = join(ws.dir, 'modules');
    const psKey = Object.keys(env).find((k) => k.toUpperCase() === 'PSMODULEPATH');
    setVar(env, 'PSModulePath', [modules, psKey ? env[psKey] : ''].filter(Boolean).join(delimiter));
  } else env.FIXPOINT_SH = join(ws.binDir, 'fixpoint.sh');
  return env;
}
