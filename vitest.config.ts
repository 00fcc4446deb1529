import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'protocol', root: './protocol', include: ['src/**/*.test.ts'] } },
      { test: { name: 'backend', root: './backend', include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: 'agent', root: './agent', include: ['src/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'tray-client', root: './tray-client', include: ['src/**/*.test.ts'], environment: 'happy-dom' } },
    ],
    passWithNoTests: true,
  },
});
