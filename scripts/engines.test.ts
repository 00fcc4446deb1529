/**
 * `engines` says what is true: the root range (building, testing, the console and extension tooling) holds for every
 * installed package's own `engines.node`, at the lowest version of each of its ranges, and the backend and agent
 * declare the Node their bundles are built for.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const json = (path: string) => JSON.parse(readFileSync(new URL(path, root), 'utf8'));

/** Packages whose declared range is wider than what this repository uses of them, and why that is safe. */
const declaredBeyondUse: Record<string, string> = {
  // wxt 0.21 declares Node >= 22 for its whole CLI; `wxt init` (the one command that needs @topcli/prompts) is never
  // run here, and `wxt prepare`, `wxt build` and `wxt zip` run on Node 20.19+ (the extension tests build with it).
  'node_modules/wxt': 'wxt prepare/build/zip run on 20.19+',
  'node_modules/@topcli/prompts': 'only wxt init uses it',
};

type Version = [number, number, number];
const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v.replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10) || 0);
  return [a, b, c];
};
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** npm's range forms found in lock files: `||` of space-separated `>=x`, `>x`, `<x`, `<=x`, `^x`, `x` (a major, or exact). */
export function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/([<>=^]+)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean)
      .every((comparator) => {
        const [, op = '', raw = ''] = /^([<>=^~]*)(.*)$/.exec(comparator)!;
        const c = parse(raw);
        const parts = raw.split('.').length;
        if (raw === '*' || raw === 'x' || raw === '') return true;
        if (op === '>=') return compare(v, c) >= 0;
        if (op === '>') return compare(v, c) > 0;
        if (op === '<') return compare(v, c) < 0;
        if (op === '<=') return compare(v, c) <= 0;
        if (op === '^') return v[0] === c[0] && compare(v, c) >= 0;
        if (op === '~') return v[0] === c[0] && v[1] === c[1] && compare(v, c) >= 0;
        return parts === 1 ? v[0] === c[0] : compare(v, c) === 0;
      }),
  );
}

/** The lowest version each alternative of a range admits, for ranges of `^x.y.z` and `>=x.y.z` alternatives. */
const lowest = (range: string) => range.split('||').map((r) => r.trim().replace(/^(\^|>=)\s*/, ''));

describe('engines', () => {
  it('reads the range forms the lock file uses', () => {
    expect(satisfies('20.19.0', '^20.19.0 || >=22.13.0')).toBe(true);
    expect(satisfies('20.18.3', '^20.19.0 || >=22.13.0')).toBe(false);
    expect(satisfies('22.12.0', '^20.19.0 || >=22.13.0')).toBe(false);
    expect(satisfies('20.19.0', '20 || >=22')).toBe(true);
    expect(satisfies('21.0.0', '20 || >=22')).toBe(false);
    expect(satisfies('20.19.0', '>= 20.19.0')).toBe(true);
    expect(satisfies('20.19.0', '>=22')).toBe(false);
    expect(satisfies('20.19.0', '>=18 <21')).toBe(true);
  });

  it('the root range is held by every installed package, at each of its lowest versions', () => {
    const pkg = json('package.json');
    const lock = json('package-lock.json');
    expect(lock.packages[''].engines.node).toBe(pkg.engines.node);
    const refused: string[] = [];
    for (const version of lowest(pkg.engines.node))
      for (const [path, entry] of Object.entries<{ engines?: { node?: string }; optional?: boolean }>(lock.packages)) {
        const range = entry.engines?.node;
        // optional native bindings are only installed where they fit
        if (!path || !range || entry.optional || declaredBeyondUse[path]) continue;
        if (!satisfies(version, range)) refused.push(`${path} needs ${range}, not ${version}`);
      }
    expect(refused).toEqual([]);
    // this very run is on a version the root range admits
    expect(satisfies(process.versions.node, pkg.engines.node), process.versions.node).toBe(true);
  });

  it('the backend and the agent declare the Node their bundles are built for', () => {
    const targets = {
      backend: /target: 'node(\d+)'/.exec(readFileSync(new URL('backend/build.mjs', root), 'utf8'))?.[1],
      // the agent's node bundle (esm); the single-file executables carry their own Node 22
      agent: /target: esm \? 'node(\d+)'/.exec(readFileSync(new URL('agent/bundle-options.mjs', root), 'utf8'))?.[1],
    };
    for (const [part, target] of Object.entries(targets)) expect(json(`${part}/package.json`).engines.node, part).toBe(`>=${target}`);
  });
});
