#!/usr/bin/env node
// `npm start`: installs what is missing, builds what is stale, then runs the backend in the foreground.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const newest = (path) => {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
};

const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || newest(lock) > newest(installed)) {
  console.log('Installing dependencies…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

// Each workspace the server needs, its output, and the sources it is built from.
const output = join(root, 'backend', 'dist', 'main.mjs');
const builds = [
  { workspace: 'backend', output, sources: ['backend/src', 'backend/drizzle', 'protocol/src'] },
  {
    workspace: 'console',
    output: join(root, 'backend', 'dist', 'console', 'index.html'),
    sources: ['console/src', 'console/public', 'console/index.html', 'console/vite.config.ts', 'protocol/src', 'launcher/src', 'tray-client/src/components'],
  },
];
for (const b of builds) {
  if (newest(b.output) >= Math.max(...b.sources.map((d) => newest(join(root, d))))) continue;
  console.log(`Building ${b.workspace}…`);
  run('npm', ['run', 'build', '-w', b.workspace]);
}

const child = spawn(process.execPath, ['--enable-source-maps', output], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
