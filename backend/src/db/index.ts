/** @module Opens the one database: embedded PGlite by default, PostgreSQL when DATABASE_URL is set. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { waitForDatabase } from './connect';
import { namingStatements } from './prepared';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; verbs take `Db | Tx` so they can join a caller's transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  close(): Promise<void>;
  /**
   * LISTEN on a channel. `onPayload` gets each NOTIFY payload; `onListen` runs every time the listening connection
   * is (re)established, after the first time too, because notifications sent while it was down are lost.
   * Resolves to the function that stops listening.
   */
  listen(channel: string, onPayload: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>;
  /** NOTIFY a channel once per payload, in order, in one statement. Payloads must stay under 8000 bytes. */
  notify(channel: string, payloads: readonly string[]): Promise<void>;
  /** The embedded client, for PGlite only (tests clone it with dumpDataDir). */
  pglite?: PGlite;
}

// One statement for a whole batch: the payloads travel as one JSON array parameter.
const notifySql = 'select pg_notify($1, p) from jsonb_array_elements_text($2::jsonb) with ordinality as t(p, n) order by n';

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; PGlite when absent. */
  url?: string | undefined;
  /** Folder of the embedded database (PGlite only). */
  pgliteDir?: string;
  /** Skip applying migrations (tests that load a migrated copy). */
  migrate?: boolean;
  /** PostgreSQL only: seconds to keep retrying a database that cannot be reached yet (0 tries once). */
  waitSec?: number;
  /** Told about each failed attempt to reach PostgreSQL that will be retried. */
  onWait?: (line: string, retryInMs: number) => void;
  /** PostgreSQL only: run drizzle's statements named (`prepared.ts`; default true). */
  prepare?: boolean;
}

/** Folder of the committed drizzle-kit migrations, found from this file in source and in the bundled build. */
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'drizzle', 'meta', '_journal.json'))) return join(dir, 'drizzle');
    dir = dirname(dir);
  }
  throw new Error('migrations folder not found');
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const database = options.url ? await openPostgres(options.url, options) : await openPglite(options.pgliteDir);
  if (options.migrate !== false) await migrate(database);
  return database;
}

async function openPglite(dir: string | undefined): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (dir) mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir);
  await client.waitReady;
  return wrapPglite(client);
}

/** A Database over an open PGlite client (also used by the test harness for cloned databases). */
export async function wrapPglite(client: PGlite): Promise<Database> {
  const { drizzle } = await import('drizzle-orm/pglite');
  const db = drizzle({ client, schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    close: () => client.close(),
    pglite: client,
    async listen(channel, onPayload, onListen) {
      const stop = await client.listen(channel, onPayload);
      onListen?.();
      return () => stop();
    },
    async notify(channel, payloads) {
      if (payloads.length) await client.query(notifySql, [channel, JSON.stringify(payloads)]);
    },
  };
}

async function openPostgres(url: string, options: Pick<OpenDatabaseOptions, 'waitSec' | 'onWait' | 'prepare'>): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max: 10, onnotice: () => {} });
  try {
    await waitForDatabase(url, () => client`select 1`, { waitSec: options.waitSec ?? 0, onRetry: options.onWait });
  } catch (error) {
    await client.end({ timeout: 0 });
    throw error;
  }
  const db = drizzle({ client: options.prepare === false ? client : namingStatements(client as never), schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    close: () => client.end({ timeout: 5 }),
    // postgres.js keeps one extra connection for LISTEN and re-listens by itself after a reconnect.
    async listen(channel, onPayload, onListen) {
      const request = await client.listen(channel, onPayload, onListen);
      return () => request.unlisten();
    },
    async notify(channel, payloads) {
      if (payloads.length) await client.unsafe(notifySql, [channel, JSON.stringify(payloads)]);
    },
  };
}

async function migrate(database: Database): Promise<void> {
  const migrationsFolderPath = migrationsFolder();
  if (database.kind === 'pglite') {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(database.db as never, { migrationsFolder: migrationsFolderPath });
  } else {
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
    await run(database.db as never, { migrationsFolder: migrationsFolderPath });
  }
}
