/** @module Builds the console into backend/dist/console, which the backend serves at `/` (backend/src/http/console.ts). */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // Preact's automatic JSX runtime, the same setting as `jsxImportSource` in console/tsconfig.json.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
  logLevel: 'warn',
  // Always a production build, also when the browser tests build it under NODE_ENV=test (which would pick the dev JSX runtime).
  mode: 'production',
  build: {
    outDir: '../backend/dist/console',
    emptyOutDir: true,
    target: 'es2022',
    // The CSP allows no data: scripts and the few assets are tiny; keep every asset a same-origin file.
    assetsInlineLimit: 0,
    // Every browser that runs ES2022 supports modulepreload natively.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
