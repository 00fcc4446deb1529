// Every repository path the docs cite in backticks must exist. Fails listing the ones that do not.
//   node scripts/check-doc-paths.mjs
// Docs: README.md, ARCHITECTURE.md, CONTRIBUTING.md, BENCHMARKS.md and every folder's README.md.
// A cited path resolves from the repository root, from the doc's own folder, or from the folders of the full paths cited
// in the same section or the sections above it (and their parents), so `hub.ts` under a section that cites
// `backend/src/channel/` means `backend/src/channel/hub.ts`. `<placeholder>` and `*` segments match any name; a path
// without an extension may name a module (`window/browser` → `window/browser.ts`). Paths into what .gitignore lists
// (dist/, data/, test-results/ ...) and absolute, URL, environment-variable and package paths are not checked.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const topDocs = ['README.md', 'ARCHITECTURE.md', 'CONTRIBUTING.md', 'BENCHMARKS.md'];
const skipDirs = new Set(['node_modules', '.git', 'dist', '.output', '.wxt', 'data', 'test-results', 'coverage']);
const extensions = /\.(ts|tsx|mts|mjs|js|json|md|yaml|yml|html|css|sql|svg|sh)$/;
const moduleSuffixes = ['', '.ts', '.tsx', '.mjs', '.js', '/index.ts'];
// Names of files and folders the programs write at run time, cited without a folder.
const runtimeFiles = new Set(['config.json', 'status.json', 'identity.json', 'update.json', 'update-trial.json', 'request.json', 'app.js', 'fixpoint-tray.mjs', 'fixpoint-campaign.mjs', 'fixpoint.sh', 'keys/', 'pgdata/']);

/** The docs to check, relative to `root`. */
export function docFiles(root = repoRoot) {
  const found = topDocs.filter((f) => existsSync(path.join(root, f)));
  const walk = (dir) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (entry.name.startsWith('.') || skipDirs.has(entry.name)) continue;
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name === 'README.md' && dir) found.push(rel);
    }
  };
  walk('');
  return found;
}

/** Directory names .gitignore excludes: cited paths into them are build or run output. */
function ignoredDirs(root) {
  const file = path.join(root, '.gitignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.endsWith('/') && !l.startsWith('#'))
    .map((l) => l.replace(/^\//, '').replace(/\/$/, ''));
}

/** The backticked text that looks like a repository path, or null. */
export function asPath(span) {
  let s = span.trim().replace(/[.,;:]$/, '');
  if (/\s|:\/\/|^[/~$]|[$=(),:'"|\\{}]/.test(s)) return null;
  if (s.startsWith('@extension/')) s = `extension/${s.slice('@extension/'.length)}`;
  else if (s.startsWith('@')) return null; // a package specifier
  const segments = s.replace(/\/$/, '').split('/');
  if (segments.some((seg) => seg === '' || seg === '..' || /^[\d.]+$/.test(seg))) return null;
  if (/^[A-Z][A-Z0-9_]*$/.test(segments[0])) return null; // FIXPOINT_DATA_DIR/keys
  if (!s.includes('/') && !extensions.test(s)) return null;
  if (runtimeFiles.has(s)) return null;
  if (!/^[\w.<>*@-]+(\/[\w.<>*@-]+)*\/?$/.test(s)) return null;
  return s;
}

/** Whether `rel` (may hold `<placeholder>` and `*` segments) names something under `root`. */
function exists(root, rel) {
  const segments = rel.replace(/\/$/, '').split('/');
  const match = (dir, i) => {
    if (i === segments.length) return true;
    const seg = segments[i];
    const last = i === segments.length - 1;
    if (/[<*]/.test(seg)) {
      if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
      const re = new RegExp(`^${seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/<[^>]*>|\*/g, '.+')}$`);
      return readdirSync(dir).some((name) => re.test(name) && match(path.join(dir, name), i + 1));
    }
    if (last) return moduleSuffixes.some((suffix) => existsSync(path.join(dir, seg + suffix)));
    return match(path.join(dir, seg), i + 1);
  };
  return match(root, 0);
}

/** Folders a short path may be relative to: the given ones and their parents, up to (not including) the root. */
function withParents(dirs) {
  const out = new Set();
  for (let d of dirs) {
    while (d && d !== '.') {
      out.add(d);
      d = path.posix.dirname(d);
    }
  }
  return [...out];
}

/** Folders holding a part (a package.json, tsconfig.json or vite.config.ts, two levels deep at most) and their src/. */
export function partRoots(root = repoRoot) {
  const out = [];
  const walk = (dir, depth) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || skipDirs.has(entry.name)) continue;
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (['package.json', 'tsconfig.json', 'vite.config.ts'].some((f) => existsSync(path.join(root, rel, f)))) {
        out.push(rel);
        if (existsSync(path.join(root, rel, 'src'))) out.push(`${rel}/src`);
      }
      if (depth < 2) walk(rel, depth + 1);
    }
  };
  walk('', 1);
  return out;
}

/** The cited paths in one doc (`doc` relative to `root`) that do not exist, as `{ line, path }`. */
export function missingInDoc(root, doc, text = readFileSync(path.join(root, doc), 'utf8'), parts = partRoots(root)) {
  const docDir = path.posix.dirname(doc) === '.' ? '' : path.posix.dirname(doc);
  const generated = ignoredDirs(root);
  const isGenerated = (p) => p.split('/').some((seg, i, segs) => generated.includes(segs.slice(0, i + 1).join('/')) || generated.includes(seg));
  const dirOf = (full) => (full.endsWith('/') ? full.slice(0, -1) : path.posix.dirname(full));
  // Sections form a tree by heading level; each holds the folders its resolved cites name.
  const top = { dirs: new Set(docDir ? [docDir] : []), parent: null };
  const open = [top];
  const cites = [];
  let fenced = false;
  text.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) return;
    const heading = /^(#{1,6})\s/.exec(line);
    if (heading) {
      const level = heading[1].length;
      open.length = level;
      const parent = open.slice(0, level).filter(Boolean).pop() ?? top;
      open[level] = { dirs: new Set(), parent };
    }
    const section = open.filter(Boolean).pop();
    for (const m of line.matchAll(/`([^`]+)`/g)) {
      const p = asPath(m[1]);
      if (!p || isGenerated(p)) continue;
      const full = exists(root, p) ? p : docDir && exists(root, `${docDir}/${p}`) ? `${docDir}/${p}` : null;
      if (full) section.dirs.add(dirOf(full));
      cites.push({ line: i + 1, path: p, full, section });
    }
  });
  // A short path resolves against the folders of its section and the sections above (and their parents), then the
  // parts' roots; what it resolves to joins its section's folders, so `src/api/` then `launcher-http.ts` works.
  const contexts = (section) => {
    const dirs = [];
    for (let s = section; s; s = s.parent) dirs.push(...s.dirs);
    return [...withParents(dirs), ...parts];
  };
  for (let progress = true; progress; ) {
    progress = false;
    for (const c of cites) {
      if (c.full) continue;
      const dir = contexts(c.section).find((d) => exists(root, `${d}/${c.path}`));
      if (dir) {
        c.full = `${dir}/${c.path}`;
        c.section.dirs.add(dirOf(c.full));
        progress = true;
      }
    }
  }
  return cites.filter((c) => !c.full).map(({ line, path: p }) => ({ line, path: p }));
}

/** Every missing cited path in the repository's docs, as `doc:line: path` lines. */
export function missingPaths(root = repoRoot) {
  const parts = partRoots(root);
  return docFiles(root).flatMap((doc) => missingInDoc(root, doc, undefined, parts).map((m) => `${doc}:${m.line}: ${m.path}`));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const missing = missingPaths();
  if (missing.length) {
    console.error(`Docs cite paths that do not exist (fix the doc, or the path if it moved):\n${missing.join('\n')}`);
    process.exit(1);
  }
}
