#!/usr/bin/env node
/**
 * @module `fixpoint-agent`: the command line. Wiring only; each command lives in `commands/`.
 *
 *   fixpoint-agent enroll --server URL --token T [--name N] [--force] [--insecure-http]
 *   fixpoint-agent run
 *   fixpoint-agent status [--json]
 *   fixpoint-agent install [--service-host PATH] | uninstall
 *   fixpoint-agent version | --version
 *   fixpoint-agent campaign ID …   (what a script's `fixpoint campaign` runs; see control/campaign-cli.ts)
 */
import { realpathSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { SINGLE_EXECUTABLE, agentPaths, resolveStateDir, versionLine } from './config';
import { describeError } from './log';

const usage = `usage:
  fixpoint-agent enroll --server URL --token TOKEN [--name NAME] [--force] [--insecure-http]
      --server must be https:// unless it is this machine (localhost, 127.0.0.0/8, ::1);
      --insecure-http allows plain http:// to another host (the token and server key then travel in the clear)
  fixpoint-agent run
  fixpoint-agent status [--json]
  fixpoint-agent install [--service-host PATH] [--tray PATH]
  fixpoint-agent uninstall
  fixpoint-agent version | --version
state directory: ${resolveStateDir()} (FIXPOINT_AGENT_STATE_DIR)`;

/** The helper file a run directory holds for `fixpoint campaign`; see `main` for why the agent answers to its name. */
const CAMPAIGN_SCRIPT = 'fixpoint-campaign.mjs';

async function main(argv: string[]): Promise<number> {
  // Scripts call `"$FIXPOINT_NODE" "$FIXPOINT_BIN/fixpoint-campaign.mjs" …`, with FIXPOINT_NODE the agent's own
  // runtime. In the single-file agent that runtime is this binary, which has no node to run the file with: it runs the
  // same command built in. `fixpoint-agent campaign …` is the explicit spelling.
  if (argv[0] === 'campaign' || (argv[0] && basename(argv[0]) === CAMPAIGN_SCRIPT)) {
    const { main: campaign } = await import('./control/campaign-cli');
    return campaign(argv.slice(1), process.env);
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      name: { type: 'string' },
      force: { type: 'boolean' },
      'insecure-http': { type: 'boolean' },
      json: { type: 'boolean' },
      'service-host': { type: 'string' },
      tray: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const paths = agentPaths(resolveStateDir());
  const command = values.version ? 'version' : positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${usage}\n`);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'enroll': {
      if (!values.server || !values.token) throw new Error('enroll needs --server and --token');
      const { enrollDevice } = await import('./commands/enroll');
      const identity = await enrollDevice({ paths, server: values.server, token: values.token, name: values.name, force: values.force, insecureHttp: values['insecure-http'] });
      process.stdout.write(`enrolled as device ${identity.deviceId}; the server key ${identity.serverKeyId} is pinned\n`);
      return 0;
    }
    case 'run':
      await (await import('./commands/run')).runDaemon(paths);
      return -1; // keeps running
    case 'status': {
      const { formatStatus, readAgentStatus } = await import('./commands/status');
      const report = readAgentStatus(paths);
      process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatStatus(report)}\n`);
      return 0;
    }
    case 'install': {
      // the single-file agent is its own runtime (and its argv[1] repeats the binary): the service runs it alone
      const scriptPath = SINGLE_EXECUTABLE ? undefined : realpathSync(process.argv[1]!);
      // the tray client starts in every session when it is named or sits next to the agent (commands/tray-location.ts)
      const { findTray } = await import('./commands/tray-location');
      const trayPath = findTray({ agentFile: scriptPath ?? process.execPath, singleExecutable: SINGLE_EXECUTABLE, explicit: values.tray });
      const spec = { nodePath: process.execPath, scriptPath, stateDir: paths.stateDir, serviceHost: values['service-host'], trayPath };
      const { installService } = await import('./commands/service');
      const file = await installService(spec, { platform: process.platform });
      process.stdout.write(`installed${file ? ` ${file}` : ''}; the service is running\n`);
      return 0;
    }
    case 'uninstall':
      await (await import('./commands/service')).uninstallService({ platform: process.platform, agentDir: dirname(realpathSync(process.argv[1]!)) });
      process.stdout.write(`uninstalled; ${paths.stateDir} was kept (delete it to forget the enrollment)\n`);
      return 0;
    case 'version':
      process.stdout.write(`${versionLine()}\n`);
      return 0;
    default:
      process.stderr.write(`unknown command ${command}\n${usage}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fixpoint-agent: ${describeError(err)}\n`);
    process.exitCode = 1;
  },
);
