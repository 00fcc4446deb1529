/**
 * @module The Windows service: WinSW hosts node. node.exe does not answer the service control manager, so SCM kills a
 * service that is node.exe itself after its start timeout; WinSW answers SCM, starts node with the agent, restarts it
 * when it dies, and on stop sends Ctrl+C, then ends it after the stop timeout.
 *
 * The build copies WinSW (`winsw.exe` and `winsw.exe.config`, from the `node-windows` package, MIT) into `agent/dist`
 * next to the bundle. Install copies it beside the agent as `fixpoint-agent-service.exe` with its configuration
 * `fixpoint-agent-service.xml` (WinSW finds its configuration by its own file name) and runs the host's own
 * `install` and `start`; uninstall runs its `stop` and `uninstall`.
 */
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandRunner } from '../exec/run-command';
import { escapeXml } from './xml-text';
import { WINDOWS_SERVICE, agentCommand, agentDirOf, type ServiceSpec } from './service-spec';

/** The WinSW build the agent ships, as `npm run build` puts it next to the bundle. */
export const WINSW_EXE = 'winsw.exe';
/** The service host's base name beside the agent: `.exe`, `.exe.config` (.NET runtime selection) and `.xml`. */
export const SERVICE_HOST_NAME = 'fixpoint-agent-service';

/** The files of the installed host, in the agent's folder. */
export function serviceHostFiles(agentDir: string): { exe: string; exeConfig: string; xml: string } {
  const base = join(agentDir, SERVICE_HOST_NAME);
  return { exe: `${base}.exe`, exeConfig: `${base}.exe.config`, xml: `${base}.xml` };
}

/**
 * One argument of a Windows command line, quoted so that `CommandLineToArgvW` (and node.exe, which parses the same
 * way) gives it back unchanged: backslashes double only before a quote or the closing quote.
 */
export function quoteWindowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let slashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    out += ch === '"' ? `${'\\'.repeat(slashes * 2 + 1)}"` : `${'\\'.repeat(slashes)}${ch}`;
    slashes = 0;
  }
  return `${out}${'\\'.repeat(slashes * 2)}"`;
}

/** WinSW expands `%NAME%` in every value of its configuration, and has no escape for `%`. */
function noPercent(label: string, value: string): string {
  if (value.includes('%')) throw new Error(`the Windows service host would expand the % in the ${label} (${value}); install the agent under a path without %`);
  return value;
}

/** The WinSW configuration: the service id, node with the agent, its state dir, restarts on failure, rolled logs. */
export function winswConfig(spec: ServiceSpec): string {
  const [executable, ...rest] = agentCommand(spec);
  const args = [...rest, 'run'].map((arg) => quoteWindowsArg(noPercent('agent path', arg))).join(' ');
  const x = escapeXml;
  return `<?xml version="1.0" encoding="UTF-8"?>
<service>
  <id>${WINDOWS_SERVICE}</id>
  <name>Fixpoint Agent</name>
  <description>Fixpoint device agent: runs signed remote actions and reports facts.</description>
  <executable>${x(noPercent('node path', executable!))}</executable>
  <arguments>${x(args)}</arguments>
  <env name="FIXPOINT_AGENT_STATE_DIR" value="${x(noPercent('state directory', spec.stateDir))}"/>
  <startmode>Automatic</startmode>
  <serviceaccount>
    <domain>.</domain>
    <user>LocalSystem</user>
  </serviceaccount>
  <onfailure action="restart" delay="5 sec"/>
  <onfailure action="restart" delay="5 sec"/>
  <onfailure action="restart" delay="60 sec"/>
  <resetfailure>1 day</resetfailure>
  <stoptimeout>15 sec</stoptimeout>
  <log mode="roll"/>
</service>
`;
}

/** The host's own commands that register and start the service (argument arrays, no shell). */
export function windowsServiceCommands(hostExe: string): string[][] {
  return [
    [hostExe, 'install'],
    [hostExe, 'start'],
  ];
}

/** Copies the host beside the agent, writes its configuration, then registers and starts the service. */
export async function installWindowsService(spec: ServiceSpec, run: CommandRunner): Promise<string> {
  const agentDir = agentDirOf(spec);
  const source = spec.serviceHost ?? join(agentDir, WINSW_EXE);
  if (!existsSync(source)) throw new Error(`no Windows service host at ${source} (the agent build puts ${WINSW_EXE} next to the bundle; or name it with --service-host)`);
  const files = serviceHostFiles(agentDir);
  const config = winswConfig(spec);
  copyFileSync(source, files.exe);
  // lets the host (built for .NET 2) run on the .NET 4 that current Windows has
  if (existsSync(`${source}.config`)) copyFileSync(`${source}.config`, files.exeConfig);
  writeFileSync(files.xml, config);
  for (const [cmd, ...args] of windowsServiceCommands(files.exe)) await run(cmd!, args);
  return files.xml;
}

/** Stops and unregisters the service, then removes the host; a service left from an sc.exe install goes through sc.exe. */
export async function uninstallWindowsService(agentDir: string, run: CommandRunner): Promise<void> {
  const files = serviceHostFiles(agentDir);
  if (!existsSync(files.exe)) {
    await run('sc.exe', ['stop', WINDOWS_SERVICE]).catch(() => undefined);
    await run('sc.exe', ['delete', WINDOWS_SERVICE]);
    return;
  }
  await run(files.exe, ['stop']).catch(() => undefined);
  await run(files.exe, ['uninstall']);
  for (const file of Object.values(files)) rmSync(file, { force: true });
}
