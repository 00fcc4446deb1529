// Bundles the agent into one self-contained file, dist/fixpoint-agent.mjs: the workspace protocol package, ws and the
// script helper assets are all inside, so a device needs only node and this file. Beside it go winsw.exe and
// winsw.exe.config, the Windows service host that `fixpoint-agent install` registers (src/commands/windows-service.ts).
// The single-file executables, which need no node at all, are sea/build-sea.mjs (`npm run build:agent`).
//   node build.mjs [--outfile PATH]
import { chmodSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { agentBundleOptions, agentDir, copyServiceHost } from './bundle-options.mjs';

const { values } = parseArgs({ options: { outfile: { type: 'string' } } });
const outfile = values.outfile ?? 'dist/fixpoint-agent.mjs';

await build({ ...(await agentBundleOptions({ format: 'esm' })), outfile });
chmodSync(resolve(agentDir, outfile), 0o755);
copyServiceHost(resolve(agentDir, dirname(outfile)));
