import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', '.output/', '.wxt/', 'data/', 'backend/drizzle/', 'coverage/'] },
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
  {
    // The extension's components may use its utils; utils (background, content script, adapters) never import components.
    files: ['extension/utils/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/components', '**/components/*'] }] },
  },
  {
    files: ['protocol/src/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['node:*', 'hono', 'drizzle-orm'] }] },
  },
);
