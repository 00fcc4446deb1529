#!/usr/bin/env node
/**
 * @module `node scripts/parallel.mjs "<command>" "<command>" …`: runs shell commands side by side and fails if any fails.
 * Each command's output is held back and printed in one piece when it ends, so the logs of the checks `npm test` runs
 * together (the typecheck's programs, ESLint, knip) do not interleave.
 */
import { spawn } from 'node:child_process';

const commands = process.argv.slice(2);
if (commands.length === 0) {
  console.error('usage: node scripts/parallel.mjs "<command>" ["<command>" …]');
  process.exit(2);
}

const run = (command) =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (d) => output.push(d));
    child.stderr.on('data', (d) => output.push(d));
    child.on('close', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const status = code === 0 ? 'ok' : `failed (${signal ?? `exit ${code}`})`;
      process.stdout.write(`\n> ${command}  [${status}, ${seconds} s]\n${Buffer.concat(output).toString()}`);
      resolve(code === 0);
    });
  });

const results = await Promise.all(commands.map(run));
process.exit(results.every(Boolean) ? 0 : 1);
