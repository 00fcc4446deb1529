import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    projects: [
      // The house rules themselves: ESLint boundaries (the first lint loads the whole config), cited paths in the docs.
      { test: { name: 'scripts', root: './scripts', include: ['**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'protocol', root: './protocol', include: ['src/**/*.test.ts'] } },
      { test: { name: 'backend', root: './backend', include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      {
        // every test file gets its own socket base: src/testing/private-ipc-dir.ts
        test: { name: 'agent', root: './agent', include: ['src/**/*.test.ts', 'library/**/*.test.ts'], testTimeout: 30_000, env: { FIXPOINT_AGENT_LOG_LEVEL: 'error' }, setupFiles: ['./src/testing/private-ipc-dir.ts'] },
      },
      {
        // The launcher panel's logic, store and components; component tests choose happy-dom per file.
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
        test: { name: 'launcher', root: './launcher', include: ['src/**/*.test.{ts,tsx}'], environment: 'node' },
      },
      { test: { name: 'tray-client', root: './tray-client', include: ['src/**/*.test.ts'], environment: 'happy-dom' } },
      {
        // WxtVitest reads wxt.config.ts: auto-imports, the `@/` alias, and a fake `browser` for background and storage tests.
        // DOM tests choose their environment per file (`// @vitest-environment happy-dom`).
        plugins: [WxtVitest()],
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
        test: { name: 'extension', root: '.', include: ['extension/**/*.test.{ts,tsx}'], exclude: ['extension/e2e/**'], environment: 'node' },
      },
      {
        // The built extension (e2e variant) in Chromium, against a live backend and a real agent process.
        test: {
          name: 'extension-e2e',
          root: '.',
          include: ['extension/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./extension/e2e/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // Each file runs a backend, an agent and a browser; two cores fit one at a time.
          fileParallelism: false,
        },
      },
      {
        // Unit tests of the console's pure logic, and browser tests (Chromium) against a real backend on the built console.
        test: {
          name: 'console',
          root: './console',
          include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./e2e/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // Each browser test file runs a backend and a browser; two cores fit one at a time.
          fileParallelism: false,
        },
      },
    ],
    passWithNoTests: true,
  },
});
