#!/usr/bin/env node
/**
 * @module `npm test [-- vitest args]`: the typecheck and the lint run side by side with the tests instead of before
 * them, at a lower CPU priority (nice 10), so they take the cores the tests leave idle (global setups waiting on a
 * download or Wine, test files waiting on a clock, a browser or a process, the last files of the run) and give way to
 * them otherwise. The tests' output streams as it comes; each check's output is held back and printed in one piece
 * after the tests, as `scripts/parallel.mjs` does. Fails if any of the three fails: a failed check does not stop the
 * tests, so one run reports both.
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';

const checks = ['npm run typecheck', 'npm run lint'];
const quote = (arg) => (/^[\w./:=@-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
const tests = ['vitest run', ...process.argv.slice(2).map(quote)].join(' ');

/** Runs a shell command; `held` keeps its output until the end, else it goes straight to ours. */
function run(command, { held, nice = 0 }) {
  const started = Date.now();
  // `nice` before the command, so every process it starts inherits the priority (setting it on the shell after the
  // spawn races with the shell starting the command); Windows has no `nice`, and there the shell gets it, best effort
  const posix = process.platform !== 'win32';
  const line = nice && posix ? `nice -n ${nice} ${command}` : command;
  const child = spawn(line, { shell: true, stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  if (nice && !posix) {
    try {
      setPriority(child.pid, nice);
    } catch {
      // not allowed: the check runs at the tests' priority, still side by side
    }
  }
  const output = [];
  if (held) for (const stream of [child.stdout, child.stderr]) stream.on('data', (d) => output.push(d));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const status = code === 0 ? 'ok' : `failed (${signal ?? `exit ${code}`})`;
      resolve({ ok: code === 0, report: `\n> ${command}  [${status}, ${seconds} s]\n${Buffer.concat(output).toString()}` });
    }),
  );
}

const pending = checks.map((command) => run(command, { held: true, nice: 10 }));
const tested = await run(tests, { held: false });
const checked = await Promise.all(pending);
for (const { report } of checked) process.stdout.write(report);
process.stdout.write(tested.report);
process.exit([tested, ...checked].every((r) => r.ok) ? 0 : 1);
