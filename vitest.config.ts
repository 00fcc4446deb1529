import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import LongestFirstSequencer from './scripts/test-sequencer.mjs';

// First in every project with global setups: starts all the run's preparations at once instead of one by one (see the file).
const prepareAll = fileURLToPath(new URL('./backend/src/testing/prepare.global.ts', import.meta.url));
// One migrated PGlite template, kept while its inputs stay the same, copied by every test that opens an embedded database.
const pgliteTemplate = fileURLToPath(new URL('./backend/src/testing/pglite-template.global.ts', import.meta.url));
// One agent bundle and one tray bundle per run, built by the first file that needs them (see the file).
const bundles = fileURLToPath(new URL('./backend/src/testing/bundles.global.ts', import.meta.url));
// Each file's agents listen in a socket base of its own instead of /run/fixpoint, so files running side by side never
// take over each other's tray sockets.
const privateIpcDir = fileURLToPath(new URL('./agent/src/testing/private-ipc-dir.ts', import.meta.url));

export default defineConfig({
  test: {
    // `isolate: false` (every project but scripts and windows): the project's files share a worker, which loads their
    // modules once instead of once per file (the backend's alone take seconds). A file that changes
    // process-wide state (environment variables, fake timers, globals) puts it back when it ends, and stops the backends,
    // agents and servers it started; module caches are keyed so one backend never reads another's (CONTRIBUTING.md).
    projects: [
      // The house rules themselves: ESLint boundaries (the first lint loads the whole config), cited paths in the docs.
      { test: { name: 'scripts', root: './scripts', include: ['**/*.test.ts'], testTimeout: 30_000 } },
      // the benchmarks' pure helpers (plots, statistics); the benchmarks themselves run through `npm run bench`
      { test: { name: 'bench', root: './bench', include: ['**/*.test.ts'], isolate: false } },
      { test: { name: 'protocol', root: './protocol', include: ['src/**/*.test.ts'], isolate: false } },
      {
        // agents started by these tests get the agent project's private socket base too (see there)
        test: { name: 'backend', root: './backend', include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000, globalSetup: [prepareAll, pgliteTemplate, bundles], setupFiles: [privateIpcDir], isolate: false },
      },
      {
        // every test file gets its own socket base: src/testing/private-ipc-dir.ts; the library, packaging and single-file
        // tests run backends and agent bundles, so they get the run's template and bundles as the backend does. Shared
        // workers: the agent's module-level caches are of fixed things (interpreter paths, helper assets) or checked on
        // every use (the helper directory, `exec/workspace.ts`), and its tests put back the variables they set.
        test: {
          name: 'agent',
          root: './agent',
          include: ['src/**/*.test.ts', 'library/**/*.test.ts', 'sea/**/*.test.ts', 'installers/**/*.test.ts'],
          testTimeout: 30_000,
          env: { FIXPOINT_AGENT_LOG_LEVEL: 'error' },
          globalSetup: [prepareAll, pgliteTemplate, bundles],
          setupFiles: [privateIpcDir],
          isolate: false,
        },
      },
      {
        // The launcher panel's logic, store and components; component tests choose happy-dom per file.
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
        test: { name: 'launcher', root: './launcher', include: ['src/**/*.test.{ts,tsx}'], environment: 'node', isolate: false },
      },
      { test: { name: 'tray-client', root: './tray-client', include: ['src/**/*.test.ts'], environment: 'happy-dom', isolate: false } },
      {
        // WxtVitest reads wxt.config.ts: auto-imports, the `@/` alias, and a fake `browser` for background and storage tests.
        // DOM tests choose their environment per file (`// @vitest-environment happy-dom`).
        plugins: [WxtVitest()],
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
        test: { name: 'extension', root: '.', include: ['extension/**/*.test.{ts,tsx}'], exclude: ['extension/e2e/**'], environment: 'node', isolate: false },
      },
      {
        // The built extension (e2e variant) in Chromium, against a live backend and a real agent process.
        test: {
          name: 'extension-e2e',
          root: '.',
          include: ['extension/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: [prepareAll, pgliteTemplate, bundles, './extension/e2e/global-setup.ts'],
          setupFiles: [privateIpcDir],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // Each file runs a backend, an agent and a browser of its own (an extension needs its own profile), side by side
          // with the other projects' files (see below); the worker loads the backend's modules once for all its files.
          isolate: false,
        },
      },
      {
        // The Windows build of the agent (official node.exe) under Wine, against a real backend; skipped without wine64.
        test: {
          name: 'windows',
          root: '.',
          include: ['agent/windows/**/*.test.ts'],
          environment: 'node',
          globalSetup: [prepareAll, pgliteTemplate, bundles, './agent/windows/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
      {
        // Unit tests of the console's pure logic, and browser tests (Chromium) against a real backend on the built console.
        test: {
          name: 'console',
          root: './console',
          include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: [prepareAll, pgliteTemplate, './e2e/global-setup.ts'],
          setupFiles: [privateIpcDir],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // a worker imports the backend and launches Chromium once for all the files it runs (e2e/harness.ts)
          isolate: false,
          // Each browser test file runs a backend and a browser, side by side with the other projects' files (see below).
        },
      },
    ],
    passWithNoTests: true,
    // Test speed: vitest's default is one worker fewer than cores, a single one on a 2-core machine. Many files wait more
    // than they compute, so one worker more than cores (three on two) took the whole run from 710 s to 466 s
    // (CONTRIBUTING.md, Test time), but two of six such runs failed a timing-bound test (console operate-flow, the
    // agent's kill -9): one worker per core stays the default; `npm test -- --maxWorkers=3` where speed matters more.
    // No project turns fileParallelism off: vitest would run such projects' files in a group of their own after all the
    // others, one at a time, leaving the second core idle for minutes. The browser and Wine files share the workers with
    // the rest instead; each starts its own backend on its own port, data directory, browser profile and X display.
    maxWorkers: Math.max(2, availableParallelism()),
    // One queue for all projects, longest file first (scripts/test-durations.json), so the workers end together.
    sequence: { sequencer: LongestFirstSequencer },
  },
});
