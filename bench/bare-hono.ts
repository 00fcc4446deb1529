/**
 * The bare baselines for the API benchmark, one Hono server:
 * - `GET /ping`;
 * - `POST /launch`: parses and validates a JSON body against the launch schema through Hono's Web Request, nothing else;
 * - `POST /launch-node`: the same, reading the body from Node's request stream directly;
 * - `POST /durable`: the same validation, then one transaction with three inserts (request, execution, audit row), on
 *   the backend's database (`bench/lib/bare-store.ts`): the naive per-request durable design.
 * Prints its URL on stdout.
 */
import type { IncomingMessage } from 'node:http';
import { serve, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { LaunchRequest } from '@fixpoint/protocol';
import { openBareStore, type BareLaunch } from './lib/bare-store';

async function readIncoming(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const invalid = (message: string) => ({ error: { code: 'validation_failed', message } });
const store = await openBareStore();
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
  return c.json({ requestId: await store.launch(parsed.data as BareLaunch), executions: [] }, 202);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`running at http://127.0.0.1:${info.port}\n`);
});
process.on('SIGTERM', () => server.close(() => void store.close().then(() => process.exit(0))));
