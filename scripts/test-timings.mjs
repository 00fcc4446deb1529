#!/usr/bin/env node
// `npm run test:timings [-- vitest args]`: runs the tests with a timings reporter and prints where the time goes.
// `npm run test:timings -- --from <report.json>` reads an earlier report instead: this script's own
// (test-results/timings.json) or vitest's JSON reporter output (`--reporter=json --outputFile=…`), which only knows
// when each file's first test started and its last one ended, so its setup share misses imports and beforeAll.
// `--top N` sets how many files are listed (default 25). `--write-durations` also stores each file's total in
// scripts/test-durations.json, the order scripts/test-sequencer.mjs starts the files in (longest first).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const take = (flag) => {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const from = take('--from');
const top = Number(take('--top') ?? 25);
const writeDurations = args.includes('--write-durations');
if (writeDurations) args.splice(args.indexOf('--write-durations'), 1);

let status = 0;
let reportPath = from;
if (!reportPath) {
  reportPath = `${root}test-results/timings.json`;
  const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', `--reporter=${root}scripts/timings-reporter.mjs`, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FIXPOINT_TIMINGS_OUT: reportPath },
  });
  status = run.status ?? 1;
}

const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const files = report.format === 'fixpoint-timings' ? report.files : fromVitestJson(report);

/** vitest's JSON reporter: no project names (taken from the path) and no file totals (first test start to last test end). */
function fromVitestJson(json) {
  const projectOf = (file) =>
    file.startsWith('extension/e2e/') ? 'extension-e2e'
    : file.startsWith('extension/') ? 'extension'
    : file.startsWith('backend/console/') || file.startsWith('console/') ? 'console'
    : file.split('/')[0];
  return json.testResults.map((r) => {
    const file = relative(root, r.name);
    const tests = r.assertionResults.map((t) => ({ name: t.fullName, state: t.status, ms: t.duration ?? 0 }));
    return { project: projectOf(file), file, state: r.status, totalMs: r.endTime - r.startTime, testsMs: tests.reduce((s, t) => s + t.ms, 0), tests };
  });
}

const s = (ms) => `${(ms / 1000).toFixed(1)} s`.padStart(9);
const byTotal = [...files].sort((a, b) => b.totalMs - a.totalMs);

console.log(`\nSlowest ${Math.min(top, files.length)} of ${files.length} test files (from ${relative(process.cwd(), reportPath) || reportPath}):`);
console.log(`${'file'.padStart(9)}${'tests'.padStart(9)}${'setup'.padStart(9)}  project        file`);
for (const f of byTotal.slice(0, top))
  console.log(`${s(f.totalMs)}${s(f.testsMs)}${s(Math.max(0, f.totalMs - f.testsMs))}  ${f.project.padEnd(14)} ${f.file}`);

const projects = new Map();
for (const f of files) {
  const p = projects.get(f.project) ?? { files: 0, tests: 0, totalMs: 0, testsMs: 0 };
  p.files++;
  p.tests += f.tests.length;
  p.totalMs += f.totalMs;
  p.testsMs += f.testsMs;
  projects.set(f.project, p);
}
console.log(`\nPer project (file times add up across parallel workers, so they exceed the wall time):`);
console.log(`  project        files  tests${'file'.padStart(9)}${'tests'.padStart(9)}${'setup'.padStart(9)}`);
for (const [name, p] of [...projects].sort((a, b) => b[1].totalMs - a[1].totalMs))
  console.log(`  ${name.padEnd(14)}${String(p.files).padStart(6)}${String(p.tests).padStart(7)}${s(p.totalMs)}${s(p.testsMs)}${s(Math.max(0, p.totalMs - p.testsMs))}`);
const sum = files.reduce((t, f) => t + f.totalMs, 0);
const wall = report.wallMs ?? (report.testResults ? Math.max(...report.testResults.map((r) => r.endTime)) - report.startTime : undefined);
console.log(`\n  all: ${files.length} files, ${files.reduce((t, f) => t + f.tests.length, 0)} tests, file times ${s(sum).trim()}${wall ? `, wall ${s(wall).trim()}` : ''}\n`);
if (writeDurations) {
  // files of this report replace their entries; files no longer in the tree go
  const durationsPath = `${root}scripts/test-durations.json`;
  const old = existsSync(durationsPath) ? JSON.parse(readFileSync(durationsPath, 'utf8')).files : {};
  const merged = { ...old, ...Object.fromEntries(files.map((f) => [`${f.project}:${f.file}`, Math.round(f.totalMs / 100) / 10])) };
  const kept = Object.entries(merged).filter(([key]) => existsSync(`${root}${key.slice(key.indexOf(':') + 1)}`)).sort(([a], [b]) => a.localeCompare(b));
  const note = 'seconds per test file (total, setup included) from `npm run test:timings -- --write-durations`; scripts/test-sequencer.mjs starts the longest first';
  writeFileSync(durationsPath, `${JSON.stringify({ note, files: Object.fromEntries(kept) }, null, 1)}\n`);
  console.log(`  wrote ${relative(process.cwd(), durationsPath)} (${kept.length} files)\n`);
}
process.exit(status);
