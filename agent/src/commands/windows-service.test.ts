import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/helpers';
import { AGENT_NODE_FLAGS } from './service-spec';
import { installWindowsService, quoteWindowsArg, uninstallWindowsService, windowsServiceCommands, winswConfig } from './windows-service';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, isArray: (name) => name === 'onfailure' });

/** The WinSW configuration as a parser sees it. */
function parseConfig(text: string) {
  expect(XMLValidator.validate(text)).toBe(true);
  return (parser.parse(text) as { service: Record<string, unknown> }).service;
}

describe('Windows command-line quoting', () => {
  it('leaves plain arguments alone and quotes the rest so CommandLineToArgvW gives them back', () => {
    expect(quoteWindowsArg('--max-old-space-size=128')).toBe('--max-old-space-size=128');
    expect(quoteWindowsArg('C:\\a\\b.mjs')).toBe('C:\\a\\b.mjs');
    expect(quoteWindowsArg('')).toBe('""');
    expect(quoteWindowsArg('C:\\Program Files\\Fixpoint\\agent.mjs')).toBe('"C:\\Program Files\\Fixpoint\\agent.mjs"');
    // backslashes double only before a quote: the one escaped and the closing one
    expect(quoteWindowsArg('C:\\Program Files\\')).toBe('"C:\\Program Files\\\\"');
    expect(quoteWindowsArg('a "b" c')).toBe('"a \\"b\\" c"');
    expect(quoteWindowsArg('a\\"b c')).toBe('"a\\\\\\"b c"');
  });
});

describe('WinSW configuration', () => {
  const spec = {
    nodePath: 'C:\\Program Files\\nodejs\\node.exe',
    scriptPath: `C:\\Program Files\\Fix & "point" <x> 'y'\\fixpoint-agent.mjs`,
    stateDir: `C:\\ProgramData\\Fix & "point" <x> 'y'`,
  };

  it('names node, the agent, its state dir and the service settings, escaped for XML', () => {
    const service = parseConfig(winswConfig(spec));
    expect(service.id).toBe('FixpointAgent');
    expect(service.executable).toBe(spec.nodePath);
    expect(service.arguments).toBe(`${AGENT_NODE_FLAGS.join(' ')} "C:\\Program Files\\Fix & \\"point\\" <x> 'y'\\fixpoint-agent.mjs" run`);
    expect(service.env).toEqual({ '@name': 'FIXPOINT_AGENT_STATE_DIR', '@value': spec.stateDir });
    expect(service.startmode).toBe('Automatic');
    expect(service.serviceaccount).toEqual({ domain: '.', user: 'LocalSystem' });
    expect(service.onfailure).toEqual([
      { '@action': 'restart', '@delay': '5 sec' },
      { '@action': 'restart', '@delay': '5 sec' },
      { '@action': 'restart', '@delay': '60 sec' },
    ]);
    expect(service.resetfailure).toBe('1 day');
    expect(service.stoptimeout).toBe('15 sec');
    expect(service.log).toEqual({ '@mode': 'roll' });
  });

  it('runs a single-file agent executable alone', () => {
    const service = parseConfig(winswConfig({ nodePath: 'C:\\Program Files\\Fixpoint\\fixpoint-agent.exe', stateDir: spec.stateDir }));
    expect(service.executable).toBe('C:\\Program Files\\Fixpoint\\fixpoint-agent.exe');
    expect(service.arguments).toBe('run');
  });

  it('refuses a % in a path, which WinSW would expand as a variable', () => {
    expect(() => winswConfig({ ...spec, stateDir: 'C:\\Data\\%USERNAME%' })).toThrow(/expand the %/);
    expect(() => winswConfig({ ...spec, scriptPath: 'C:\\100%\\agent.mjs' })).toThrow(/agent path/);
  });

  it('refuses text XML cannot hold', () => {
    expect(() => winswConfig({ ...spec, stateDir: 'C:\\a\u0001b' })).toThrow(/not representable in XML/);
  });
});

describe('installing the Windows service host', () => {
  const setup = () => {
    const agentDir = join(tempDir(), 'Fixpoint & Co');
    mkdirSync(agentDir);
    writeFileSync(join(agentDir, 'winsw.exe'), 'MZ host');
    const calls: string[][] = [];
    const run = async (cmd: string, args: string[]) => void calls.push([cmd, ...args]);
    const spec = { nodePath: 'C:\\node\\node.exe', scriptPath: join(agentDir, 'fixpoint-agent.mjs'), stateDir: 'C:\\ProgramData\\Fixpoint' };
    return { agentDir, calls, run, spec, host: join(agentDir, 'fixpoint-agent-service.exe') };
  };

  it('uses the host own commands, never sc.exe', () => {
    expect(windowsServiceCommands('C:\\Fix point\\fixpoint-agent-service.exe')).toEqual([
      ['C:\\Fix point\\fixpoint-agent-service.exe', 'install'],
      ['C:\\Fix point\\fixpoint-agent-service.exe', 'start'],
    ]);
  });

  it('copies the host beside the agent with its configuration, then installs and starts it', async () => {
    const { agentDir, calls, run, spec, host } = setup();
    const xml = await installWindowsService(spec, run);
    expect(readFileSync(host, 'utf8')).toBe('MZ host');
    expect(existsSync(`${host}.config`)).toBe(false); // none beside the source, none copied
    expect(xml).toBe(join(agentDir, 'fixpoint-agent-service.xml'));
    expect(readFileSync(xml, 'utf8')).toBe(winswConfig(spec));
    expect(calls).toEqual([
      [host, 'install'],
      [host, 'start'],
    ]);
  });

  it('takes the host named with --service-host', async () => {
    const { calls, run, spec, host } = setup();
    const other = join(tempDir(), 'WinSW-x64.exe');
    writeFileSync(other, 'MZ other');
    writeFileSync(`${other}.config`, '<configuration/>');
    await installWindowsService({ ...spec, serviceHost: other }, run);
    expect(readFileSync(host, 'utf8')).toBe('MZ other');
    expect(readFileSync(`${host}.config`, 'utf8')).toBe('<configuration/>');
    expect(calls.length).toBe(2);
  });

  it('stops and uninstalls through the host, tolerating a stopped service, and removes its files', async () => {
    const { agentDir, calls, spec, host } = setup();
    await installWindowsService(spec, async () => undefined);
    const run = async (cmd: string, args: string[]) => {
      calls.push([cmd, ...args]);
      if (args[0] === 'stop') throw new Error('not running');
    };
    await uninstallWindowsService(agentDir, run);
    expect(calls).toEqual([
      [host, 'stop'],
      [host, 'uninstall'],
    ]);
    expect(existsSync(host)).toBe(false);
    expect(existsSync(join(agentDir, 'fixpoint-agent-service.xml'))).toBe(false);
  });

  it('removes a service registered by sc.exe when no host is installed', async () => {
    const { agentDir, calls, run } = setup();
    await uninstallWindowsService(agentDir, run);
    expect(calls).toEqual([
      ['sc.exe', 'stop', 'FixpointAgent'],
      ['sc.exe', 'delete', 'FixpointAgent'],
    ]);
  });
});
