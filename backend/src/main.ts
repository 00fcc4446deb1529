/** @module Entry point: reads the configuration, starts the backend, stops cleanly on SIGINT/SIGTERM. */
import { loadConfig } from './config';
import { startBackend } from './server';

const backend = await startBackend(loadConfig());
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
