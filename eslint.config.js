import js from '@eslint/js';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import house from './scripts/eslint-boundaries.mjs';

const at = (dir) => fileURLToPath(new URL(dir, import.meta.url)).replace(/[\\/]$/, '');
const backendSrc = at('./backend/src');
// The parts that talk to the backend over HTTP or the agent channel, never by importing it.
const clients = ['agent/**', 'tray-client/**', 'extension/**', 'launcher/**', 'console/**'];
// vitest global setups (agent/windows/global-setup.ts) prepare what the tests run, and are test code too
const testCode = ['**/*.test.ts', '**/*.test.tsx', '**/e2e/**', '**/testing/**', '**/global-setup.ts'];
const notBackend = 'only the backend imports backend/src; other parts use the API, the agent channel or @fixpoint/protocol';
const boundaries = (...rules) => ({ 'house/boundaries': ['error', { rules }] });

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', '.output/', '.wxt/', 'data/', 'backend/drizzle/', 'coverage/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.test.ts', '**/testing/**', 'console/e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Handlers and services go through verbs; protocol stays free of runtime dependencies other than zod.
    files: ['backend/src/routes/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['drizzle-orm', 'drizzle-orm/*', '../db/schema', '../db/schema/*'] }] },
  },
  // Import boundaries (CONTRIBUTING.md, "Rules of the house"). Each file matches at most one of the blocks below that sets the rule;
  // later blocks win, so the exceptions for test code come after the rule they relax.
  { plugins: { house } },
  {
    files: ['backend/src/services/**'],
    rules: boundaries({
      denyDirs: [at('./backend/src/http'), at('./backend/src/routes'), at('./backend/src/channel')],
      message: 'services sit below http/, routes/ and channel/ and never import them; move what both need into services/ or a shared module',
    }),
  },
  { files: clients, rules: boundaries({ denyDirs: [backendSrc], denyPackages: ['@fixpoint/backend'], message: notBackend }) },
  {
    // Tests of other parts may start a real backend through its test harness, and nothing else of it.
    files: clients.flatMap((c) => testCode.map((t) => `${c.replace('/**', '')}/${t}`)),
    rules: boundaries({ denyDirs: [backendSrc], except: [at('./backend/src/testing')], denyPackages: ['@fixpoint/backend'], message: `${notBackend} (tests: backend/src/testing only)` }),
  },
  // The console's browser tests seed the backend they start through its services.
  { files: ['console/e2e/**'], rules: { 'house/boundaries': 'off' } },
  {
    // The extension's components may use its utils; utils (background, content script, adapters) never import components.
    files: ['extension/utils/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/components', '**/components/*'] }] },
  },
  {
    files: ['protocol/src/**'],
    rules: boundaries({ allowDirs: [at('./protocol')], allowPackages: ['zod'], message: 'protocol imports only zod and its own files' }),
  },
  {
    files: ['protocol/src/**/*.test.ts'],
    rules: boundaries({ allowDirs: [at('./protocol')], allowPackages: ['zod', 'vitest'], message: 'protocol imports only zod and its own files (tests: and vitest)' }),
  },
  {
    // Node-only contracts and their tests (the Windows tray pipe's cryptography, envelope Merkle trees), exported on their own paths so browsers never load them.
    files: ['protocol/src/node/**'],
    rules: boundaries({ allowDirs: [at('./protocol')], allowPackages: ['zod', 'node:crypto', 'vitest'], message: 'protocol/src/node imports only zod, node:crypto and its own files' }),
  },
);
