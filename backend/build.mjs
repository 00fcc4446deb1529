// Bundles the backend into dist/main.mjs (the console builds itself into dist/console/: console/vite.config.ts).
// Workspace packages (TypeScript sources) are bundled; npm dependencies of the backend stay external and load from node_modules.
//   node build.mjs [--outdir DIR]   (DIR must stay inside backend/, where node_modules and drizzle/ are found)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const here = new URL('.', import.meta.url).pathname;
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {}).filter((d) => !d.startsWith('@fixpoint/'));

await build({
  entryPoints: { main: 'src/main.ts' },
  absWorkingDir: here,
  outdir: values.outdir ?? 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  external: [...external, ...external.map((d) => `${d}/*`)],
  logLevel: 'warning',
});
