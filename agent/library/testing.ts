/** @module Test helpers for the action library: load every action file, and run a Linux script through the agent's runner. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe } from 'vitest';
import { parse } from 'yaml';
import { ActionFile, resolveParameters, type AgentResult } from '@fixpoint/protocol';
import { posixPlatform } from '../src/exec/platform-posix';
import { startRun } from '../src/exec/runner';
import { FakeServer } from '../src/testing/fake-server';

export const libraryDir = fileURLToPath(new URL('.', import.meta.url));

export interface LibraryEntry {
  file: string;
  /** The file as shipped (what the import route receives). */
  text: string;
  action: ActionFile;
}

/** Every `<slug>.action.yaml` in the library, parsed and validated with the wire schema (throws on the first bad file). */
export function loadLibrary(): LibraryEntry[] {
  return readdirSync(libraryDir)
    .filter((f) => f.endsWith('.action.yaml'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(libraryDir, file), 'utf8');
      const parsed = ActionFile.safeParse(parse(text));
      if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}`);
      return { file, text, action: parsed.data };
    });
}

/** One library action by slug. */
export function libraryAction(slug: string): ActionFile {
  const entry = loadLibrary().find((e) => e.action.slug === slug);
  if (!entry) throw new Error(`no library action ${slug}`);
  return entry.action;
}

const server = new FakeServer();
const device = '11111111-2222-4333-8444-555555555555';

export interface RunLinuxOptions {
  /** Skip the backend's parameter resolution, to hand the script values a launch could never carry. */
  raw?: boolean;
}

/**
 * Runs the action's Linux script for real, through a signed envelope and the agent's runner, the way a launch would:
 * parameters are resolved against the declarations first (defaults applied, types checked), outputs are checked
 * against the declared types.
 */
export async function runLinux(action: ActionFile, given: Record<string, unknown> = {}, options: RunLinuxOptions = {}): Promise<AgentResult> {
  const script = action.scripts.linux;
  if (!script) throw new Error(`${action.slug} has no Linux script`);
  let parameters = given as Record<string, string | number | boolean>;
  if (!options.raw) {
    const resolved = resolveParameters(action.parameters, given);
    if (!resolved.ok) throw new Error(`${action.slug}: ${resolved.problems.join('; ')}`);
    parameters = resolved.values;
  }
  const envelope = server.envelope(device, {
    script: script.source,
    shell: script.shell,
    actionSlug: action.slug,
    parameters,
    secretParameters: action.parameters.filter((p) => p.secret).map((p) => p.name),
    outputs: action.outputs,
    timeoutSec: action.timeoutSec,
    outputCapBytes: action.outputCapBytes,
    runAs: 'system',
  });
  return startRun(envelope, { platform: posixPlatform }).result;
}

/** The declared outputs a result lacks. */
export function missingOutputs(action: ActionFile, result: AgentResult): string[] {
  return action.outputs.map((o) => o.name).filter((name) => !(name in result.outputs));
}

const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();

/**
 * Registers the same Linux tests twice: with this machine's tools (GNU coreutils, findutils, mawk), and again with
 * every busybox applet put first on PATH, the way a minimal or embedded system would run them. The interpreter stays
 * /bin/sh (dash here). The busybox pass is skipped when busybox is not installed.
 */
export function describeEachToolset(name: string, register: () => void): void {
  describe(`${name} (this machine's tools)`, register);
  describe.skipIf(!busybox)(`${name} (busybox tools)`, () => {
    const saved = process.env.PATH;
    let dir = '';
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'fixpoint-busybox-'));
      const applets = spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
      for (const applet of applets) symlinkSync(busybox, join(dir, applet));
      // Scripts of a system run inherit the agent's environment, PATH included.
      process.env.PATH = `${dir}:${saved}`;
    });
    afterAll(() => {
      process.env.PATH = saved;
      rmSync(dir, { recursive: true, force: true });
    });
    register();
  });
}

/** Whether a command exists on this machine. */
export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name]).status === 0;
}
