// Bundles the tray client into dist/fixpoint-tray.mjs (node), with the prompt page's script (browser) and the icons
// inlined, and systray2's helper binaries copied to dist/traybin. The single-file executables of the tray are
// agent/sea/build-sea.mjs (`npm run build:agent`).
//   node build.mjs [--outdir DIR]
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { copyTrayHelpers, trayBundleOptions, trayDir } from './bundle-options.mjs';

const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = values.outdir ?? join(trayDir, 'dist');

await build({ ...(await trayBundleOptions({ format: 'esm' })), outfile: join(outdir, 'fixpoint-tray.mjs') });
copyTrayHelpers(outdir);
chmodSync(join(outdir, 'fixpoint-tray.mjs'), 0o755);
