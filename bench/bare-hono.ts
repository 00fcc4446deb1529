/**
 * The bare baselines for the API benchmark, one Hono server:
 * - `GET /ping`;
 * - `POST /launch`: parses and validates a JSON body against the launch schema through Hono's Web Request, nothing else;
 * - `POST /launch-node`: the same, reading the body from Node's request stream directly;
 * - `POST /durable`: the same validation, then one transaction with three inserts (request, execution, audit row), on
 *   PostgreSQL (`DATABASE_URL`, 16 connections) or in-process PGlite: the naive per-request durable design.
 * Prints its URL on stdout.
 */
import type { IncomingMessage } from 'node:http';
import { PGlite } from '@electric-sql/pglite';
import { serve, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import postgres from 'postgres';
import { LaunchRequest } from '@fixpoint/protocol';

const schema = `
  create table if not exists bare_requests (id uuid primary key, action text not null, trigger_info jsonb not null, created_at timestamptz not null default now());
  create table if not exists bare_executions (id uuid primary key, request_id uuid not null references bare_requests(id), device_id uuid not null,
    parameters jsonb not null, status text not null, expires_at timestamptz not null, created_at timestamptz not null default now());
  create table if not exists bare_audit (id bigserial primary key, actor text not null, action text not null, target text not null, details jsonb not null, at timestamptz not null default now());`;

type Launch = { action: string; devices: string[]; parameters?: unknown; triggerInfo?: unknown };
type Store = (launch: Launch) => Promise<string>;

async function openStore(): Promise<Store> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const sql = postgres(url, { max: 16, onnotice: () => {} });
    await sql.unsafe(schema);
    return async (launch) => {
      const requestId = crypto.randomUUID();
      await sql.begin(async (tx) => {
        await tx`insert into bare_requests (id, action, trigger_info) values (${requestId}, ${launch.action}, ${tx.json((launch.triggerInfo ?? {}) as never)})`;
        await tx`insert into bare_executions (id, request_id, device_id, parameters, status, expires_at)
                 values (${crypto.randomUUID()}, ${requestId}, ${launch.devices[0]!}, ${tx.json((launch.parameters ?? {}) as never)}, 'queued', now() + interval '1 hour')`;
        await tx`insert into bare_audit (actor, action, target, details) values ('bench', 'execution.launch', ${requestId}, ${tx.json(launch as never)})`;
      });
      return requestId;
    };
  }
  const db = await PGlite.create();
  await db.exec(schema);
  return async (launch) => {
    const requestId = crypto.randomUUID();
    await db.transaction(async (tx) => {
      await tx.query('insert into bare_requests (id, action, trigger_info) values ($1, $2, $3)', [requestId, launch.action, launch.triggerInfo ?? {}]);
      await tx.query(
        `insert into bare_executions (id, request_id, device_id, parameters, status, expires_at) values ($1, $2, $3, $4, 'queued', now() + interval '1 hour')`,
        [crypto.randomUUID(), requestId, launch.devices[0], launch.parameters ?? {}],
      );
      await tx.query(`insert into bare_audit (actor, action, target, details) values ('bench', 'execution.launch', $1, $2)`, [requestId, launch]);
    });
    return requestId;
  };
}

async function readIncoming(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const invalid = (message: string) => ({ error: { code: 'validation_failed', message } });
const store = await openStore();
const app = new Hono<{ Bindings: HttpBindings }>();
app.get('/ping', (c) => c.json({ ok: true }));
app.post('/launch', async (c) => {
  const parsed = LaunchRequest.safeParse(await c.req.json());
  if (!parsed.success) return c.json(invalid(parsed.error.message), 400);
  return c.json({ requestId: crypto.randomUUID(), executions: [] }, 202);
});
app.post('/launch-node', async (c) => {
  const parsed = LaunchRequest.safeParse(JSON.parse(await readIncoming(c.env.incoming)));
  if (!parsed.success) return c.json(invalid(parsed.error.message), 400);
  return c.json({ requestId: crypto.randomUUID(), executions: [] }, 202);
});
app.post('/durable', async (c) => {
  const parsed = LaunchRequest.safeParse(await c.req.json());
  if (!parsed.success) return c.json(invalid(parsed.error.message), 400);
  return c.json({ requestId: await store(parsed.data as Launch), executions: [] }, 202);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`running at http://127.0.0.1:${info.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
