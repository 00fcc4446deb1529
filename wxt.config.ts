import { defineConfig } from 'wxt';

// Sites and the backend are granted one by one at run time, so the manifest asks for no host up front.
// MV3 (Chrome, Edge) lists optional hosts in optional_host_permissions; Firefox builds MV2, where they go in optional_permissions.
const anyHost = ['https://*/*', 'http://*/*'];
// Browser tests (`wxt build --mode e2e`, written to chrome-mv3-e2e) cannot click a permission prompt, so that build
// is granted the loopback pages and backend up front. Production builds never carry it.
const e2eHosts = ['http://127.0.0.1/*'];

// The extension's source lives in extension/; WXT reads this root config and the root package.json.
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  modulesDir: 'extension/modules',
  outDir: 'dist/extension',
  modules: ['@wxt-dev/webextension-polyfill'],
  // Explicit imports everywhere: easier to follow, and no clash between our exports and WXT's.
  imports: false,
  manifest: ({ browser, manifestVersion, mode }) => ({
    name: 'Fixpoint',
    description: 'Launch Fixpoint remote actions from ticketing pages.',
    permissions: ['storage', 'scripting'],
    ...(manifestVersion === 3 ? { optional_host_permissions: anyHost } : { optional_permissions: anyHost }),
    ...(mode === 'e2e' ? { host_permissions: e2eHosts } : {}),
    ...(browser === 'firefox' ? { browser_specific_settings: { gecko: { id: 'extension@fixpoint.dev', strict_min_version: '115.0' } } } : {}),
  }),
  // The Firefox sources archive (for add-on review) needs the extension and the protocol it imports, not the server side.
  zip: { excludeSources: ['backend/**', 'console/**', 'agent/**', 'tray-client/**', 'scripts/**', 'bench/**', '**/*.test.*', '**/__fixtures__/**', 'launcher/src/testing/**'] },
  vite: () => ({ oxc: { jsx: { runtime: 'automatic' as const, importSource: 'preact' } } }),
});
