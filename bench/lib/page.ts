/**
 * tsx compiles with esbuild's keepNames, which wraps named functions in `__name(…)`. Functions handed to
 * `page.evaluate` run in the page, which has no such helper: evaluate this first (or add it as an init script).
 */
export const nameHelper = 'globalThis.__name = (fn) => fn;';
