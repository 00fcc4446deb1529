// Bundles the backend into dist/main.mjs and the console into dist/console/. Workspace packages (TypeScript sources)
// are bundled; npm dependencies of the backend stay external and load from node_modules.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { build as buildConsole } from 'vite';

const here = new URL('.', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {}).filter((d) => !d.startsWith('@fixpoint/'));

await build({
  entryPoints: { main: 'src/main.ts' },
  absWorkingDir: here,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  external: [...external, ...external.map((d) => `${d}/*`)],
  logLevel: 'warning',
});

await buildConsole({ configFile: new URL('./console/vite.config.ts', import.meta.url).pathname });
