// An esbuild plugin for the device bundles (agent, tray client): zod re-exports all of its ~40 message locales as
// `z.locales`, which they never use (English is imported directly). Leaving them out halves a bundle and trims idle memory.
export const zodWithoutLocales = {
  name: 'zod-without-locales',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'stub' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};
