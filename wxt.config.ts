import { defineConfig } from 'wxt';

// The extension's source lives in extension/; WXT reads this root config and the root package.json.
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  modulesDir: 'extension/modules',
  outDir: 'dist/extension',
  manifest: {
    name: 'Fixpoint',
    description: 'Launch Fixpoint remote actions from ticketing pages.',
    permissions: ['storage'],
    browser_specific_settings: { gecko: { id: 'extension@fixpoint.dev', strict_min_version: '115.0' } },
  },
  vite: () => ({ oxc: { jsx: { runtime: 'automatic' as const, importSource: 'preact' } } }),
});
