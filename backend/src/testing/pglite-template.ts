/**
 * @module A migrated PGlite data directory, built once and copied by every test that needs an embedded database:
 * initdb plus all migrations take several seconds, loading a copy a fraction of that. The vitest global setup
 * (`pglite-template.global.ts`) builds it once per run and names its folder in FIXPOINT_TEST_PGLITE_TEMPLATE; a test
 * process started without it (a file run under another config) builds its own once.
 *
 * The folder holds `data.tar` (the dump, for in-memory databases) and `pgdata/` (the same files unpacked, for
 * backends that open an embedded database in their data dir). `process.test.ts` still migrates from scratch.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../db';

export const templateEnv = 'FIXPOINT_TEST_PGLITE_TEMPLATE';

/** Migrates a fresh in-memory PGlite and writes it into `dir` as `data.tar` and `pgdata/`. */
export async function buildPgliteTemplate(dir: string): Promise<void> {
  const database = await openDatabase({});
  const blob = await database.pglite!.dumpDataDir('none');
  await database.close();
  await writeFile(join(dir, 'data.tar'), Buffer.from(await blob.arrayBuffer()));
  // PGlite unpacks a dump into an empty folder itself, with the layout it expects to reopen.
  const unpacked = new PGlite(join(dir, 'pgdata'), { loadDataDir: blob });
  await unpacked.waitReady;
  await unpacked.close();
}

let ownTemplate: Promise<string> | undefined;

async function templateDir(): Promise<string> {
  const shared = process.env[templateEnv];
  if (shared && existsSync(join(shared, 'data.tar'))) return shared;
  ownTemplate ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fixpoint-pglite-template-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await buildPgliteTemplate(dir);
    return dir;
  })();
  return ownTemplate;
}

let dump: Promise<Blob> | undefined;

/** The migrated dump, to open as `new PGlite({ loadDataDir })`. */
export function migratedDump(): Promise<Blob> {
  dump ??= templateDir().then((dir) => new Blob([readFileSync(join(dir, 'data.tar'))]));
  return dump;
}

/**
 * Gives a backend data dir a migrated embedded database (`<dataDir>/pgdata`), unless it already has one (a restart
 * on the same data). The backend still runs its migrations at start, finding them all applied.
 */
export async function seedMigratedDataDir(dataDir: string): Promise<void> {
  const target = join(dataDir, 'pgdata');
  if (existsSync(target)) return;
  cpSync(join(await templateDir(), 'pgdata'), target, { recursive: true });
}
