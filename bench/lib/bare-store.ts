/**
 * @module The naive durable design the baselines measure: one transaction per request on the same database as the
 * backend under test, PostgreSQL (`DATABASE_URL`, 16 connections) or PGlite in a temporary data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';

const schema = `
  create table if not exists bare_requests (id uuid primary key, action text not null, trigger_info jsonb not null, created_at timestamptz not null default now());
  create table if not exists bare_executions (id uuid primary key, request_id uuid not null references bare_requests(id), device_id uuid not null,
    parameters jsonb not null, status text not null, expires_at timestamptz not null, created_at timestamptz not null default now());
  create table if not exists bare_audit (id bigserial primary key, actor text not null, action text not null, target text not null, details jsonb not null, at timestamptz not null default now());`;

export interface BareLaunch {
  action: string;
  devices: string[];
  parameters?: unknown;
  triggerInfo?: unknown;
}

/** Runs the statements of one request in one transaction. */
type Exec = (statements: [text: string, values: unknown[]][]) => Promise<void>;

export interface BareStore {
  /** One transaction of three inserts: the request, its execution, an audit row. */
  launch(launch: BareLaunch): Promise<string>;
  /** One transaction of one insert. */
  commit(): Promise<void>;
  close(): Promise<void>;
}

export async function openBareStore(): Promise<BareStore> {
  const url = process.env.DATABASE_URL;
  let exec: Exec;
  let close: () => Promise<void>;
  if (url) {
    const sql = postgres(url, { max: 16, onnotice: () => {} });
    await sql.unsafe(schema);
    exec = async (statements) => {
      await sql.begin(async (tx) => {
        for (const [text, values] of statements) await tx.unsafe(text, values as never[]);
      });
    };
    close = () => sql.end();
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'fixpoint-bare-'));
    const db = await PGlite.create(dir);
    await db.exec(schema);
    exec = async (statements) => {
      await db.transaction(async (tx) => {
        for (const [text, values] of statements) await tx.query(text, values);
      });
    };
    close = async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  return {
    async launch(launch) {
      const requestId = crypto.randomUUID();
      await exec([
        ['insert into bare_requests (id, action, trigger_info) values ($1, $2, $3)', [requestId, launch.action, JSON.stringify(launch.triggerInfo ?? {})]],
        [
          `insert into bare_executions (id, request_id, device_id, parameters, status, expires_at) values ($1, $2, $3, $4, 'queued', now() + interval '1 hour')`,
          [crypto.randomUUID(), requestId, launch.devices[0], JSON.stringify(launch.parameters ?? {})],
        ],
        [`insert into bare_audit (actor, action, target, details) values ('bench', 'execution.launch', $1, $2)`, [requestId, JSON.stringify(launch)]],
      ]);
      return requestId;
    },
    async commit() {
      await exec([['insert into bare_audit (actor, action, target, details) values ($1, $2, $3, $4)', ['bench', 'dispatch', crypto.randomUUID(), '{}']]]);
    },
    close,
  };
}
