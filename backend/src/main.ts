/** @module Entry point: reads the configuration, starts the backend, stops cleanly on SIGINT/SIGTERM. */
import { loadConfig } from './config';
import { DatabaseUnavailableError } from './db/connect';
import { startBackend } from './server';

const backend = await startBackend(loadConfig()).catch((error: unknown) => {
  // An unreachable database is an operator's problem, not a bug: one line, no stack.
  if (!(error instanceof DatabaseUnavailableError)) throw error;
  process.stderr.write(`fixpoint: ${error.message}\n`);
  process.exit(1);
});
process.stdout.write(`Fixpoint is running at ${backend.url}\n`);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    backend.stop().then(
      () => {
        process.stdout.write('Fixpoint stopped\n');
        process.exit(0);
      },
      () => process.exit(1),
    );
  });
}
