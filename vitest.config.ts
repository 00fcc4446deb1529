import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'protocol', root: './protocol', include: ['src/**/*.test.ts'] } },
      { test: { name: 'backend', root: './backend', include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: 'agent', root: './agent', include: ['src/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'tray-client', root: './tray-client', include: ['src/**/*.test.ts'] } },
      {
        // Unit tests of the console's pure logic, and browser tests (Chromium) against a real backend on the built console.
        test: {
          name: 'console',
          root: './backend/console',
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
