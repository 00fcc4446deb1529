#!/usr/bin/env node
// Prints the gzipped size of the launcher content script in each built extension and fails above the budget
// (DESIGN.md: the content script is at most 30 KB gzipped). Run after `wxt build`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const budget = 30 * 1024;
const out = new URL('../dist/extension/', import.meta.url).pathname;
const targets = existsSync(out) ? readdirSync(out).filter((d) => existsSync(join(out, d, 'content-scripts/launcher.js'))) : [];
if (!targets.length) {
  console.error('No built content script under dist/extension: run `npm run build:ext` first.');
  process.exit(1);
}
let over = false;
for (const target of targets) {
  const bytes = readFileSync(join(out, target, 'content-scripts/launcher.js'));
  const gz = gzipSync(bytes, { level: 9 }).length;
  over ||= gz > budget;
  console.log(`${target}: content script ${(bytes.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped (budget ${budget / 1024} KB)`);
}
if (over) {
  console.error('The content script is over its size budget.');
  process.exit(1);
}
