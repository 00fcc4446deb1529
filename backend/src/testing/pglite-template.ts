/**
 * @module A migrated PGlite data directory, built once and copied by every test that needs an embedded database:
 * initdb plus all migrations take several seconds, loading a copy a fraction of that. The vitest global setup
 * (`pglite-template.global.ts`) builds it once, keeps it in .cache/test/ while its inputs stay the same, and names its
 * folder in FIXPOINT_TEST_PGLITE_TEMPLATE; a process started without it (a project without that global setup, or the
 * benchmarks) makes its own dump once, in memory.
 *
 * The folder holds `data.tar` (the dump, for in-memory databases) and `pgdata/` (the same files unpacked, for
 * backends that open an embedded database in their data dir). `process.test.ts` still migrates from scratch.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../db';

export const templateEnv = 'FIXPOINT_TEST_PGLITE_TEMPLATE';

/** Migrates a fresh in-memory PGlite and writes it into `dir` as `data.tar` and `pgdata/`. */
export async function buildPgliteTemplate(dir: string): Promise<void> {
  const blob = await ownDump();
  await writeFile(join(dir, 'data.tar'), Buffer.from(await blob.arrayBuffer()));
  await unpack(blob, join(dir, 'pgdata'));
}

/** The run's template folder, or null when this process was started without one. */
function sharedTemplate(): string | null {
  const dir = process.env[templateEnv];
  return dir && existsSync(join(dir, 'data.tar')) ? dir : null;
}

/** Without the run's template, a migrated dump made once in this process, in memory (nothing to clean up). */
async function ownDump(): Promise<Blob> {
  const database = await openDatabase({});
  const blob = await database.pglite!.dumpDataDir('none');
  await database.close();
  return blob;
}

let dump: Promise<Blob> | undefined;

/** The migrated dump, to open as `new PGlite({ loadDataDir })`. */
export function migratedDump(): Promise<Blob> {
  const shared = sharedTemplate();
  dump ??= shared ? Promise.resolve(new Blob([readFileSync(join(shared, 'data.tar'))])) : ownDump();
  return dump;
}

/**
 * Gives a backend data dir a migrated embedded database (`<dataDir>/pgdata`), unless it already has one (a restart
 * on the same data). The backend still runs its migrations at start, finding them all applied.
 */
export async function seedMigratedDataDir(dataDir: string): Promise<void> {
  const target = join(dataDir, 'pgdata');
  if (existsSync(target)) return;
  const shared = sharedTemplate();
  if (shared) return cpSync(join(shared, 'pgdata'), target, { recursive: true });
  await unpack(await migratedDump(), target);
}

/** Writes a dump into an empty folder as a data directory: PGlite unpacks it with the layout it expects to reopen. */
async function unpack(blob: Blob, dir: string): Promise<void> {
  const client = new PGlite(dir, { loadDataDir: blob });
  await client.waitReady;
  await client.close();
}
