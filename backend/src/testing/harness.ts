/**
 * @module Test harness: a migrated database per test (PGlite loaded from the run's migrated template, or a fresh PostgreSQL
 * database that is dropped afterwards), a context, the app, and signed-in callers for each built-in role.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import type { Hono } from 'hono';
import { createApp } from '../app';
import { loadConfig } from '../config';
import type { AppContext } from '../context';
import { openDatabase, wrapPglite, type Database } from '../db';
import { accessTokens, roles, userRoles, users } from '../db/schema';
import type { AppEnv } from '../http/route';
import { createContext } from '../server';
import type { PasswordHashing } from '../services/identity/password';
import { invalidatePrincipals } from '../services/identity/principal';
import { seed } from '../services/identity/seed';
import { hashToken, newToken, tokenPrefixes } from '../services/identity/tokens';
import { migratedDump } from './pglite-template';

/**
 * scrypt at N=2^10 instead of 2^15: a test signs in and creates users hundreds of times, and the hashing code is the
 * same at any cost. Tests set it in the config they build; the environment cannot (see `Config.passwordHashing`).
 */
export const testPasswordHashing: PasswordHashing = Object.freeze({ N: 1 << 10, r: 8, p: 1 });

export const postgresAdminUrl = process.env.FIXPOINT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A migrated PGlite database, loaded from the run's template (see `pglite-template.ts`) instead of initdb plus migrations. */
export async function createPgliteDb(): Promise<Database> {
  const client = new PGlite({ loadDataDir: await migratedDump() });
  await client.waitReady;
  return wrapPglite(client);
}

/** A fresh PostgreSQL database on the local server, migrated, and dropped on close. */
export async function createPostgresDb(): Promise<Database & { url: string }> {
  const { default: postgres } = await import('postgres');
  const name = `fixpoint_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface TestBackend {
  ctx: AppContext;
  app: Hono<AppEnv>;
  database: Database;
  /** The PostgreSQL database's URL (undefined on PGlite). */
  databaseUrl?: string | undefined;
  /** Bearer headers for a user holding exactly these roles (created on first use). */
  as(roleNames: string | string[], email?: string): Promise<Record<string, string>>;
  /** JSON request through app.request(). */
  call(method: string, path: string, init?: { headers?: Record<string, string>; body?: unknown }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface TestBackendOptions {
  database?: 'pglite' | 'postgres';
  now?: () => Date;
  /**
   * More configuration variables, as the environment would give them. Test backends keep approval off
   * (`FIXPOINT_REQUIRE_APPROVAL: 'false'`) unless a test turns it on, so tests of other features need no reviewer.
   */
  env?: Record<string, string>;
  /**
   * A second backend instance on this one's database: on PostgreSQL its own connections, as another process would
   * have; on PGlite (one connection) the same handle. Closing it leaves the database to its first backend.
   */
  shareWith?: TestBackend;
}

export async function createTestBackend(options: TestBackendOptions = {}): Promise<TestBackend> {
  const shared = options.shareWith;
  let databaseUrl: string | undefined;
  let database: Database;
  if (shared) database = shared.databaseUrl ? await openDatabase({ url: shared.databaseUrl }) : { ...shared.database, close: async () => {} };
  else if (options.database === 'postgres') ({ url: databaseUrl, ...database } = await createPostgresDb());
  else database = await createPgliteDb();
  databaseUrl ??= shared?.databaseUrl;
  // instances share the data directory's envelope key, as every backend instance must
  const dataDir = shared ? shared.ctx.config.dataDir : mkdtempSync(join(tmpdir(), 'fixpoint-test-'));
  const config = { ...loadConfig({ FIXPOINT_DATA_DIR: dataDir, FIXPOINT_LOG_LEVEL: 'silent', FIXPOINT_REQUIRE_APPROVAL: 'false', ...options.env }), adminPassword: 'admin-password-123', passwordHashing: testPasswordHashing };
  const ctx = await createContext(config, database);
  if (options.now) ctx.now = options.now;
  if (!shared) await seed(ctx);
  const app = createApp(ctx);
  const tokens = new Map<string, Record<string, string>>();
  invalidatePrincipals();

  return {
    ctx,
    app,
    database,
    databaseUrl,
    async as(roleNames, email) {
      const names = [roleNames].flat();
      const key = email ?? names.join('+');
      const known = tokens.get(key);
      if (known) return known;
      const address = email ?? `${names.join('-')}-${Math.random().toString(36).slice(2, 8)}@test.local`;
      const [user] = await ctx.db.insert(users).values({ email: address, name: address, passwordHash: 'x' }).returning();
      for (const name of names) {
        const [role] = await ctx.db.select().from(roles).where(eq(roles.name, name));
        if (!role) throw new Error(`no role ${name}`);
        await ctx.db.insert(userRoles).values({ userId: user!.id, roleId: role.id });
      }
      const token = newToken(tokenPrefixes.pat);
      await ctx.db.insert(accessTokens).values({
        userId: user!.id, name: 'test', prefix: token.slice(0, 12), tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3600_000),
      });
      const headers = { authorization: `Bearer ${token}` };
      tokens.set(key, headers);
      return headers;
    },
    async call(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await app.request(path, { method: method.toUpperCase(), headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed };
    },
    async close() {
      await database.close();
      if (!shared) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
