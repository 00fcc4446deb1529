/**
 * @module The private directory one run lives in: the script, its parameters file, its output file and the
 * `fixpoint` helper. Created 0700 under the system temp dir (handed to the user for user runs), deleted after the run.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import type { Envelope } from '@fixpoint/protocol';
import { readAsset } from './assets';
import type { PlatformOps, RunUser } from './platform';

export interface Workspace {
  dir: string;
  scriptPath: string;
  paramsFile: string;
  outputFile: string;
  binDir: string;
}

const RUN_DIR_PREFIX = 'fixpoint-run-';

/**
 * Where run directories go. On macOS root's own temp dir (under /var/folders) is closed to other users, which a user
 * run must traverse; /private/tmp is world-traversable and sticky.
 */
export function runBaseDir(): string {
  return process.platform === 'darwin' ? '/private/tmp' : tmpdir();
}

/**
 * Deletes a run directory a crashed agent left behind (it may hold secret parameters). Only paths that look like
 * one of ours are touched, whatever the journal says.
 */
export function removeLeftoverWorkspace(dir: string): void {
  const path = resolve(dir);
  if (dirname(path) !== resolve(runBaseDir()) || !basename(path).startsWith(RUN_DIR_PREFIX)) return;
  rmSync(path, { recursive: true, force: true });
}

const posixHelper = (shPath: string) =>
  `#!/bin/sh\n# Fixpoint helper command; see fixpoint.sh next to it.\n. '${shPath.replace(/'/g, `'\\''`)}'\nfixpoint "$@"\n`;

const windowsHelper = (modulePath: string) =>
  // the arguments become the script block's $args; the exit code carries `fixpoint campaign`'s outcome
  `@echo off\r\npowershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "& { Import-Module '${modulePath}'; fixpoint @args; exit $LASTEXITCODE }" %*\r\n`;

/** Creates the run directory with everything the script needs. Secrets only ever land in the 0600 params file. */
export async function prepareWorkspace(platform: PlatformOps, envelope: Envelope, user: RunUser | null): Promise<Workspace> {
  const dir = await mkdtemp(join(runBaseDir(), RUN_DIR_PREFIX));
  const { payload } = envelope;
  const ext = platform.scriptExtension(payload.shell);
  const ws: Workspace = {
    dir,
    scriptPath: join(dir, `script${ext}`),
    paramsFile: join(dir, 'params.json'),
    outputFile: join(dir, 'outputs.jsonl'),
    binDir: join(dir, 'bin'),
  };
  // Windows PowerShell 5.1 reads a BOM-less script in the ANSI code page; the BOM makes it read UTF-8.
  const scriptText = payload.shell === 'powershell' ? `\ufeff${envelope.script}` : envelope.script;
  await writeFile(ws.scriptPath, scriptText, { mode: 0o600 });
  await writeFile(ws.paramsFile, JSON.stringify(payload.parameters), { mode: 0o600 });
  await writeFile(ws.outputFile, '', { mode: 0o600 });
  await mkdir(ws.binDir, { mode: 0o700 });
  if (platform.name === 'windows') {
    const moduleDir = join(dir, 'modules', 'Fixpoint');
    await mkdir(moduleDir, { recursive: true });
    await writeFile(join(moduleDir, 'Fixpoint.psm1'), readAsset('Fixpoint.psm1'));
    await writeFile(join(ws.binDir, 'fixpoint.cmd'), windowsHelper(join(moduleDir, 'Fixpoint.psm1')));
  } else {
    const shPath = join(ws.binDir, 'fixpoint.sh');
    await writeFile(shPath, readAsset('fixpoint.sh'), { mode: 0o600 });
    await writeFile(join(ws.binDir, 'fixpoint'), posixHelper(shPath), { mode: 0o700 });
  }
  await writeFile(join(ws.binDir, 'fixpoint-campaign.mjs'), readAsset('fixpoint-campaign.mjs'), { mode: 0o600 });
  if (user) await platform.grantWorkspace(dir, user);
  return ws;
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
